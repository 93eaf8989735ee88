package io.openlive.server.realtime;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;

/**
 * A viewer's messages from its WebSocket frames, kept as the UTF-8 bytes they came in: a text message goes to the
 * envelope decoder (Jackson reads the bytes) without becoming a {@code String} first. Fragmented messages are joined
 * (RFC 6455 5.4) up to {@link #MAX_MESSAGE_BYTES}; past that the viewer is a flood, not a sender. Control frames are
 * Vert.x's business. On the socket's event loop.
 *
 * <p>Usage: {@code ws.frameHandler(new ClientMessages(onText, onBinary, onTooBig))}.
 */
final class ClientMessages implements Handler<WebSocketFrame> {
    /** The largest message, as the HTTP server's own limit for messages it joins (OpenliveServer). */
    static final int MAX_MESSAGE_BYTES = 256 * 1024;

    private final Handler<byte[]> text;
    private final Runnable binary;
    private final Runnable tooBig;
    private Buffer partial;
    private boolean partialIsText;
    private boolean refused;

    ClientMessages(Handler<byte[]> text, Runnable binary, Runnable tooBig) {
        this.text = text;
        this.binary = binary;
        this.tooBig = tooBig;
    }

    @Override
    public void handle(WebSocketFrame frame) {
        if (refused) {
            return;
        }
        if (frame.isText() || frame.isBinary()) {
            partialIsText = frame.isText();
            partial = null;
        } else if (!frame.isContinuation()) {
            return;
        }
        Buffer data = frame.binaryData();
        if (frame.isFinal() && partial == null) {
            if (data.length() > MAX_MESSAGE_BYTES) {
                refuse();
            } else {
                message(data);
            }
            return;
        }
        if (partial == null) {
            partial = Buffer.buffer(Math.min(MAX_MESSAGE_BYTES, 2 * data.length()));
        }
        if (partial.length() + data.length() > MAX_MESSAGE_BYTES) {
            refuse();
            return;
        }
        partial.appendBuffer(data);
        if (frame.isFinal()) {
            Buffer whole = partial;
            partial = null;
            message(whole);
        }
    }

    private void message(Buffer data) {
        if (partialIsText) {
            text.handle(data.getBytes());
        } else {
            binary.run();
        }
    }

    private void refuse() {
        refused = true;
        partial = null;
        tooBig.run();
    }
}
