package io.openlive.protocol.rtmp;

/** A peer broke the RTMP protocol; the message names what it sent. */
public final class RtmpProtocolException extends RuntimeException {
    public RtmpProtocolException(String message) {
        super(message, null, false, false);
    }
}
