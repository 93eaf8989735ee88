package io.openlive.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.openlive.protocol.rtmp.RtmpChunkDecoder;
import io.openlive.protocol.rtmp.RtmpChunkEncoder;
import io.openlive.protocol.rtmp.RtmpClientHandshake;

import java.util.function.Supplier;

/** Netty plumbing shared by the load clients: one event loop group, epoll when the machine has it. */
final class RtmpClientPipeline {
    final EventLoopGroup group;
    private final Class<? extends Channel> channelClass;

    RtmpClientPipeline(int threads) {
        this(threads, Thread.NORM_PRIORITY);
    }

    /**
     * Event loop threads of the given Java priority. The JVM maps priorities to the OS only with
     * {@code -XX:ThreadPriorityPolicy=1}, which Linux honours for root; otherwise every thread runs at the same priority.
     */
    RtmpClientPipeline(int threads, int priority) {
        boolean epoll = Epoll.isAvailable();
        var threadFactory = new io.netty.util.concurrent.DefaultThreadFactory("load-p" + priority, false, priority);
        group = new MultiThreadIoEventLoopGroup(threads, threadFactory, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        channelClass = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    ChannelFuture connectRtmp(String host, int port, Supplier<ChannelHandler> handler) {
        return bootstrap(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new RtmpClientHandshake(new RtmpChunkDecoder()), new RtmpChunkEncoder(), handler.get());
            }
        }).connect(host, port);
    }

    Bootstrap bootstrap(ChannelInitializer<Channel> init) {
        return new Bootstrap().group(group).channel(channelClass)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(init);
    }

    void close() {
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
