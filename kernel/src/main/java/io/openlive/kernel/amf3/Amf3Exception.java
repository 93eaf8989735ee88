package io.openlive.kernel.amf3;

/** Malformed, over-limit or unrepresentable AMF 3 data. The message says what; never carries a stack-worthy cause. */
public final class Amf3Exception extends RuntimeException {
    public Amf3Exception(String message) {
        super(message, null, false, false);
    }
}
