package io.openlive.server.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/** Tells a stream reader when its connection can take bytes again; passes the event on. */
public final class WritabilitySignal extends ChannelInboundHandlerAdapter {
    private final Runnable onWritable;

    public WritabilitySignal(Runnable onWritable) {
        this.onWritable = onWritable;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            onWritable.run();
        }
        ctx.fireChannelWritabilityChanged();
    }
}
