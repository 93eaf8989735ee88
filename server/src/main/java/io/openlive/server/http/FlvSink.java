package io.openlive.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.openlive.engine.stream.Frame;
import io.openlive.server.internal.ChannelFrameSink;

import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * An FLV viewer over HTTP (each tag one chunk of the chunked response) or WebSocket (each tag one binary message). Each
 * frame comes already framed for the transport ({@link Frame#httpChunk()}, {@link Frame#webSocketFrame()}); the HTTP or
 * WebSocket encoder it bypasses stays in step, as it only ever sees the response head and the end.
 */
final class FlvSink extends ChannelFrameSink {
    private final String protocol;
    private final Function<Frame, ByteBuf> framing;
    private Supplier<boolean[]> tracks;
    private Function<boolean[], Object> header;

    FlvSink(ChannelHandlerContext ctx, String protocol, long requestedAtNanos, Function<Frame, ByteBuf> framing,
            boolean noDelay, Consumer<String> closer) {
        super(ctx, requestedAtNanos, noDelay, closer);
        this.protocol = protocol;
        this.framing = framing;
    }

    @Override
    protected ByteBuf bytesOf(Frame frame) {
        return framing.apply(frame);
    }

    /**
     * The FLV header (FLV 1.0 E.2) goes out just before the first tag, once the stream knows its tracks: it announces
     * only those the publisher sent a sequence header for, as some players wait forever for a track announced but never
     * sent. A viewer whose first tag comes before any sequence header gets both flags, as before.
     */
    @Override
    public int write(Frame frame) {
        if (header != null) {
            writeThroughCodec(header.apply(tracks.get()));
            header = null;
        }
        return super.write(frame);
    }

    /** Defers the header to the first frame; {@code header} frames it for the transport given the announced tracks. */
    void headerBeforeFirstFrame(Supplier<boolean[]> tracks, Function<boolean[], Object> header) {
        this.tracks = tracks;
        this.header = header;
    }

    /** Writes a message through the whole pipeline (the FLV header, before any frame), taking ownership. */
    void writeThroughCodec(Object message) {
        ctx.write(message, ctx.voidPromise());
    }

    /** FLV players get {@code onOpenliveClock} before the first media tag (RTMP viewers do not: it is not their sink). */
    @Override
    public boolean wantsClock() {
        return true;
    }

    @Override
    public String protocol() {
        return protocol;
    }
}
