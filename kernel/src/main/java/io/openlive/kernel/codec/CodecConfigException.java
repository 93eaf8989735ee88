package io.openlive.kernel.codec;

/** A decoder configuration record (avcC, AudioSpecificConfig, SPS) that cannot be read. */
public final class CodecConfigException extends RuntimeException {
    public CodecConfigException(String message) {
        super(message, null, false, false);
    }
}
