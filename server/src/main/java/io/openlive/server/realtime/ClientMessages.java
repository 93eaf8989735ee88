package io.openlive.server.realtime;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

import java.util.Arrays;

/**
 * A viewer's messages from its WebSocket data frames, kept as the UTF-8 bytes they came in: a text message goes to the
 * envelope decoder (Jackson reads the bytes) without becoming a {@code String} first. Fragmented messages are joined
 * (RFC 6455 5.4) up to {@link #MAX_MESSAGE_BYTES}; past that the viewer is a flood, not a sender. Control frames are the
 * socket's business ({@link RealtimeSocket}). On the socket's event loop; the caller releases the frame.
 */
final class ClientMessages {
    /** The largest message a viewer may send: calls and comments are small; a larger one is a flood. */
    static final int MAX_MESSAGE_BYTES = 256 * 1024;

    /** Where whole messages go. */
    interface Sink {
        void text(byte[] utf8);

        void binary();

        void tooBig();
    }

    private final Sink sink;
    /** A fragmented message being joined (null between messages); most messages come in one frame and never need it. */
    private byte[] partial;
    private int partialLength;
    private boolean partialIsText;
    private boolean refused;

    ClientMessages(Sink sink) {
        this.sink = sink;
    }

    void frame(WebSocketFrame frame) {
        if (refused) {
            return;
        }
        boolean starts = frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame;
        if (starts) {
            partialIsText = frame instanceof TextWebSocketFrame;
            partial = null;
            partialLength = 0;
        } else if (!(frame instanceof ContinuationWebSocketFrame) || partial == null) {
            return; // a continuation with nothing to continue: the decoder refuses those; nothing to join here
        }
        ByteBuf data = frame.content();
        int length = data.readableBytes();
        if (frame.isFinalFragment() && partial == null) {
            if (length > MAX_MESSAGE_BYTES) {
                refuse();
            } else {
                message(ByteBufUtil.getBytes(data));
            }
            return;
        }
        if (partialLength + length > MAX_MESSAGE_BYTES) {
            refuse();
            return;
        }
        if (partial == null) {
            partial = new byte[Math.min(MAX_MESSAGE_BYTES, Math.max(256, 2 * length))];
        } else if (partial.length < partialLength + length) {
            partial = Arrays.copyOf(partial, Math.min(MAX_MESSAGE_BYTES, Math.max(partialLength + length, 2 * partial.length)));
        }
        data.getBytes(data.readerIndex(), partial, partialLength, length);
        partialLength += length;
        if (frame.isFinalFragment()) {
            byte[] whole = Arrays.copyOf(partial, partialLength);
            partial = null;
            partialLength = 0;
            message(whole);
        }
    }

    private void message(byte[] data) {
        if (partialIsText) {
            sink.text(data);
        } else {
            sink.binary();
        }
    }

    private void refuse() {
        refused = true;
        partial = null;
        sink.tooBig();
    }
}
