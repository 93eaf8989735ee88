package io.openlive.protocol.websocket;

import io.netty.buffer.ByteBuf;

/**
 * The header of a server-to-client WebSocket frame (RFC 6455 section 5.2): FIN set, the opcode, no mask, and the payload
 * length in 7, 16 or 64 bits. Egress builds whole frames itself so that one frame's bytes can be shared by many sockets.
 */
public final class WebSocketFrameHeader {
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    /** The longest header: 2 bytes and a 64-bit length. */
    public static final int MAX_SIZE = 10;

    private WebSocketFrameHeader() {
    }

    public static void write(ByteBuf out, int opcode, long payloadSize) {
        out.writeByte(0x80 | opcode);
        if (payloadSize < 126) {
            out.writeByte((int) payloadSize);
        } else if (payloadSize <= 0xFFFF) {
            out.writeByte(126).writeShort((int) payloadSize);
        } else {
            out.writeByte(127).writeLong(payloadSize);
        }
    }
}
