package io.openlive.server.realtime;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

/**
 * Server-to-client WebSocket text frames as bytes ready for the socket (RFC 6455 section 5.2: FIN, opcode 1, no mask,
 * 7/16/64-bit length), so that one batch is framed once and its bytes shared by every connection.
 */
final class WebSocketFrames {
    private WebSocketFrames() {
    }

    static ByteBuf text(ByteBufAllocator alloc, CharSequence text) {
        int size = ByteBufUtil.utf8Bytes(text);
        ByteBuf b = alloc.directBuffer(10 + size);
        b.writeByte(0x81); // FIN, opcode 1 (text)
        if (size < 126) {
            b.writeByte(size);
        } else if (size <= 0xFFFF) {
            b.writeByte(126).writeShort(size);
        } else {
            b.writeByte(127).writeLong(size);
        }
        ByteBufUtil.reserveAndWriteUtf8(b, text, size);
        return b;
    }
}
