package io.openlive.server.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.openlive.engine.stream.Frame;
import io.openlive.engine.stream.FrameSink;

import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * A viewer on a Netty channel. Subclasses pick the frame's bytes for their protocol; this class writes a
 * retained duplicate of them from {@link NettyAccess#egress}, straight to the socket. The bytes are already
 * framed for the transport, and walking the codec handlers for each frame of each viewer was the largest cost of fan-out
 * in profiles.
 */
public abstract class ChannelFrameSink implements FrameSink {
    protected final ChannelHandlerContext ctx;
    protected final ChannelHandlerContext egress;
    private final long requestedAtNanos;
    private final Consumer<String> closer;

    /**
     * @param noDelay false to let the kernel hold a small write while earlier bytes are unacknowledged (Nagle): writes
     *                to a viewer that is behind then merge in the socket, paced by its acknowledgements. Set here, once
     *                the viewer plays, so the handshake and the replies before it still go out at once.
     */
    protected ChannelFrameSink(ChannelHandlerContext ctx, long requestedAtNanos, boolean noDelay, Consumer<String> closer) {
        this.ctx = ctx;
        this.egress = NettyAccess.egress(ctx);
        this.requestedAtNanos = requestedAtNanos;
        this.closer = closer;
        if (!noDelay) {
            ctx.channel().config().setOption(ChannelOption.TCP_NODELAY, false);
        }
    }

    /** The bytes of {@code frame} as this protocol sends them; shared, not to be released by the caller. */
    protected abstract ByteBuf bytesOf(Frame frame);

    @Override
    public int write(Frame frame) {
        ByteBuf bytes = bytesOf(frame);
        int size = bytes.readableBytes();
        egress.write(bytes.retainedDuplicate(), egress.voidPromise());
        return size;
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
    public long writableBytes() {
        return ctx.channel().bytesBeforeUnwritable();
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
}
