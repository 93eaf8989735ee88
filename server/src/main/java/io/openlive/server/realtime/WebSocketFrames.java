package io.openlive.server.realtime;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.openlive.protocol.websocket.WebSocketFrameHeader;

import java.util.List;

/**
 * Server-to-client WebSocket text frames as bytes ready for the socket, made from envelopes already in UTF-8, so that
 * one batch is framed once and its bytes shared by every connection.
 */
final class WebSocketFrames {
    private WebSocketFrames() {
    }

    /** One envelope (or an array already written) as a frame. */
    static ByteBuf text(ByteBufAllocator alloc, byte[] json) {
        ByteBuf b = alloc.directBuffer(WebSocketFrameHeader.MAX_SIZE + json.length);
        WebSocketFrameHeader.write(b, WebSocketFrameHeader.TEXT, json.length);
        return b.writeBytes(json);
    }

    /** Envelopes, then {@code last} when not null, as one frame holding a JSON array of them; at least one envelope. */
    static ByteBuf array(ByteBufAllocator alloc, List<byte[]> envelopes, byte[] last) {
        int size = 1;
        for (byte[] e : envelopes) {
            size += e.length + 1;
        }
        if (last != null) {
            size += last.length + 1;
        }
        // assembled on the heap and copied into the frame in one write: one bounds check (and, in tests, one leak
        // record) per batch rather than two per envelope
        byte[] json = new byte[size];
        json[0] = '[';
        int at = 1;
        for (byte[] e : envelopes) {
            System.arraycopy(e, 0, json, at, e.length);
            at += e.length;
            json[at++] = ',';
        }
        if (last != null) {
            System.arraycopy(last, 0, json, at, last.length);
            at += last.length;
            json[at++] = ',';
        }
        json[size - 1] = ']';
        return text(alloc, json);
    }
}
