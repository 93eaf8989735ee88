package io.openlive.protocol.realtime;

/** A client frame that is not a valid envelope; {@code code} is one of {@link ErrorCode}'s wire codes. */
public final class EnvelopeException extends Exception {
    private final String code;
    private final long id;

    public EnvelopeException(String code, String message, long id) {
        super(message, null, false, false);
        this.code = code;
        this.id = id;
    }

    public String code() {
        return code;
    }

    /** The call id if one could be read (so the error can answer it), else 0. */
    public long id() {
        return id;
    }
}
