package io.openlive.kernel.amf0;

/** Malformed or over-limit AMF0 data. The message says what and where; never carries a stack-worthy cause. */
public final class Amf0Exception extends RuntimeException {
    public Amf0Exception(String message) {
        super(message, null, false, false);
    }
}
