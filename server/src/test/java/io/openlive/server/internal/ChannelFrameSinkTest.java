package io.openlive.server.internal;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.openlive.engine.stream.Frame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A viewer's socket on a real TCP connection: the listener turns Nagle off; a sink turns it back on only when told to, and a frame it writes reaches the viewer byte for byte. */
class ChannelFrameSinkTest {
    private EventLoopGroup group;

    @BeforeEach
    void start() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @ParameterizedTest(name = "noDelay={0}")
    @ValueSource(booleans = {true, false})
    void aPlayingViewersSocketSendsAtOnceOrWaitsForAcknowledgementsAsConfigured(boolean noDelay) throws Exception {
        CompletableFuture<Boolean> before = new CompletableFuture<>();
        CompletableFuture<Boolean> after = new CompletableFuture<>();
        CompletableFuture<Integer> written = new CompletableFuture<>();
        byte[] body = {0x17, 0x01, 0, 0, 0, 0x65, 0x42};
        ByteBuf expected = io.openlive.kernel.flv.FlvWriter.tag(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT, 9, 40,
                Unpooled.wrappedBuffer(body));
        Channel listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true) // as the RTMP and HTTP listeners accept every connection
                .childHandler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        before.complete(ctx.channel().config().getOption(ChannelOption.TCP_NODELAY));
                        BytesSink sink = new BytesSink(ctx, noDelay);
                        after.complete(ctx.channel().config().getOption(ChannelOption.TCP_NODELAY));
                        Frame frame = Frame.of(ctx.alloc(), 0, 9, 40, Unpooled.wrappedBuffer(body));
                        written.complete(sink.write(frame));
                        sink.flush();
                        frame.release(); // the sink retained what it queued
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
        try (Socket viewer = new Socket()) {
            viewer.connect((InetSocketAddress) listener.localAddress(), 2000);
            assertThat(before.get(5, TimeUnit.SECONDS)).as("replies before play go out at once").isTrue();
            assertThat(after.get(5, TimeUnit.SECONDS)).isEqualTo(noDelay);
            assertThat(written.get(5, TimeUnit.SECONDS)).isEqualTo(expected.readableBytes());
            viewer.setSoTimeout(5000);
            byte[] got = viewer.getInputStream().readNBytes(expected.readableBytes());
            assertThat(got).as("the frame's FLV tag reaches the viewer").isEqualTo(io.netty.buffer.ByteBufUtil.getBytes(expected));
            expected.release();
        } finally {
            listener.close().sync();
        }
    }

    /** The smallest sink: a frame's bytes are its body. */
    private static final class BytesSink extends ChannelFrameSink {
        BytesSink(ChannelHandlerContext ctx, boolean noDelay) {
            super(ctx, System.nanoTime(), noDelay, reason -> ctx.close());
        }

        @Override
        protected ByteBuf bytesOf(Frame frame) {
            return frame.flvTag();
        }

        @Override
        public String protocol() {
            return "test";
        }
    }
}
