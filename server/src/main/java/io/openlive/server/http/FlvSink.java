package io.openlive.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.openlive.engine.stream.Frame;
import io.openlive.engine.stream.FrameSink;

import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An FLV viewer over HTTP (each tag a chunk of the chunked response) or WebSocket (each tag a binary message). Writes the
 * frame's shared FLV tag, wrapped by {@code wrap} in the transport's framing, straight to the connection's channel.
 */
final class FlvSink implements FrameSink {
    private final ChannelHandlerContext ctx;
    private final String protocol;
    private final Function<ByteBuf, Object> wrap;
    private final Consumer<String> closer;

    FlvSink(ChannelHandlerContext ctx, String protocol, Function<ByteBuf, Object> wrap, Consumer<String> closer) {
        this.ctx = ctx;
        this.protocol = protocol;
        this.wrap = wrap;
        this.closer = closer;
    }

    @Override
    public Executor executor() {
        return ctx.executor();
    }

    @Override
    public boolean isWritable() {
        return ctx.channel().isWritable();
    }

    @Override
    public int write(Frame frame) {
        ByteBuf tag = frame.flvTag();
        ctx.write(wrap.apply(tag.retainedDuplicate()), ctx.voidPromise());
        return tag.readableBytes();
    }

    /** Writes bytes owned by the caller (the FLV header), taking ownership. */
    void writeOwned(ByteBuf bytes) {
        ctx.write(wrap.apply(bytes), ctx.voidPromise());
    }

    @Override
    public void flush() {
        ctx.flush();
    }

    @Override
    public void close(String reason) {
        closer.accept(reason);
    }

    @Override
    public String protocol() {
        return protocol;
    }
}
