package io.openlive.server.realtime;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.openlive.protocol.websocket.WebSocketFrameHeader;

/**
 * Server-to-client WebSocket text frames as bytes ready for the socket, so that one batch is framed once and its bytes
 * shared by every connection.
 */
final class WebSocketFrames {
    private WebSocketFrames() {
    }

    static ByteBuf text(ByteBufAllocator alloc, CharSequence text) {
        int size = ByteBufUtil.utf8Bytes(text);
        ByteBuf b = alloc.directBuffer(WebSocketFrameHeader.MAX_SIZE + size);
        WebSocketFrameHeader.write(b, WebSocketFrameHeader.TEXT, size);
        ByteBufUtil.reserveAndWriteUtf8(b, text, size);
        return b;
    }
}
