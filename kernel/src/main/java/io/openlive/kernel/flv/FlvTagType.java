package io.openlive.kernel.flv;

/** FLV tag types (FLV specification v10.1, E.4.1) — the same numbers as RTMP message types 8, 9 and 18. */
public final class FlvTagType {
    public static final int AUDIO = 8;
    public static final int VIDEO = 9;
    public static final int SCRIPT = 18;

    private FlvTagType() {
    }

    public static boolean isMedia(int type) {
        return type == AUDIO || type == VIDEO || type == SCRIPT;
    }
}
