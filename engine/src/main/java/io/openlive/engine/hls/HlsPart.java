package io.openlive.engine.hls;

/**
 * One LL-HLS partial segment: a CMAF fragment ({@code moof}+{@code mdat}) of segment {@code msn}.
 *
 * @param index       Part Index within its segment, from 0
 * @param duration    seconds
 * @param independent starts with a key frame (INDEPENDENT=YES)
 * @param media       the fragment, also as the direct copy that responses send; never modified
 */
public record HlsPart(long msn, int index, double duration, boolean independent, SharedBytes media) {

    public HlsPart(long msn, int index, double duration, boolean independent, byte[] bytes) {
        this(msn, index, duration, independent, new SharedBytes(bytes));
    }

    /** The fragment's bytes. */
    public byte[] bytes() {
        return media.bytes();
    }
}
