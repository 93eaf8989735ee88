package io.openlive.kernel.fmp4;

/** An MP4 file that is not what this package writes, or is damaged beyond a cut-short last fragment. */
public final class Fmp4Exception extends RuntimeException {
    public Fmp4Exception(String message) {
        super(message, null, false, false);
    }
}
