package io.openlive.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.openlive.engine.stream.Frame;
import io.openlive.engine.stream.FrameSink;

import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An FLV viewer over HTTP (each tag one chunk of the chunked response) or WebSocket (each tag one binary message). Each
 * frame comes already framed for the transport ({@link Frame#httpChunk()}, {@link Frame#webSocketFrame()}), shared by
 * every viewer, and is written from the pipeline's first context straight to the socket; the HTTP or WebSocket encoder
 * in between stays in step, as it only ever sees the response head and the end.
 */
final class FlvSink implements FrameSink {
    private final ChannelHandlerContext ctx;
    private final ChannelHandlerContext egress;
    private final String protocol;
    private final Function<Frame, ByteBuf> framing;
    private final Consumer<String> closer;
    private final long requestedAtNanos;

    FlvSink(ChannelHandlerContext ctx, String protocol, long requestedAtNanos, Function<Frame, ByteBuf> framing, Consumer<String> closer) {
        this.requestedAtNanos = requestedAtNanos;
        this.ctx = ctx;
        this.egress = ctx.pipeline().firstContext();
        this.protocol = protocol;
        this.framing = framing;
        this.closer = closer;
    }

    @Override
    public Executor executor() {
        return ctx.executor();
    }

    @Override
    public boolean inExecutor() {
        return ctx.executor().inEventLoop();
    }

    @Override
    public boolean isWritable() {
        return ctx.channel().isWritable();
    }

    @Override
    public int write(Frame frame) {
        ByteBuf framed = framing.apply(frame);
        egress.write(framed.retain().duplicate(), egress.voidPromise());
        return framed.readableBytes();
    }

    /** Writes a message through the whole pipeline (the FLV header, before any frame), taking ownership. */
    void writeThroughCodec(Object message) {
        ctx.write(message, ctx.voidPromise());
    }

    @Override
    public void flush() {
        egress.flush();
    }

    @Override
    public void close(String reason) {
        closer.accept(reason);
    }

    @Override
    public long requestedAtNanos() {
        return requestedAtNanos;
    }

    @Override
    public String protocol() {
        return protocol;
    }
}
