package io.openlive.kernel.flv;

/** Malformed or over-limit FLV data. */
public final class FlvException extends RuntimeException {
    public FlvException(String message) {
        super(message, null, false, false);
    }
}
