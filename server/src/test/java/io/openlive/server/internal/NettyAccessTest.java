package io.openlive.server.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.unix.UnixChannelUtil;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.openlive.engine.hls.SharedBytes;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NettyAccessTest {
    /** Stands for a TLS handler: marks every byte that passes through it, as encryption would change it. */
    private static final class Sealing extends ChannelOutboundHandlerAdapter {
        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            ByteBuf in = (ByteBuf) msg;
            ByteBuf out = Unpooled.buffer().writeBytes("sealed:".getBytes(StandardCharsets.US_ASCII)).writeBytes(in);
            in.release();
            ctx.write(out, promise);
        }
    }

    private static String written(EmbeddedChannel ch) {
        ByteBuf out = ch.readOutbound();
        try {
            return out.toString(StandardCharsets.US_ASCII);
        } finally {
            out.release();
        }
    }

    @Test
    void rawWritesReachTheSocketPastTheCodecs() {
        EmbeddedChannel ch = new EmbeddedChannel(new ChannelOutboundHandlerAdapter(), new ChannelInboundHandlerAdapter());
        ChannelHandlerContext egress = NettyAccess.egress(ch.pipeline().lastContext());
        egress.writeAndFlush(Unpooled.copiedBuffer("frame", StandardCharsets.US_ASCII));
        assertThat(written(ch)).isEqualTo("frame");
        assertThat(NettyAccess.egress(ch.pipeline().lastContext())).as("one marker per channel").isSameAs(egress);
    }

    @Test
    void aTransportHandlerAddedInFrontLaterStillSeesEveryRawByte() {
        EmbeddedChannel ch = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
        ChannelHandlerContext egress = NettyAccess.egress(ch.pipeline().lastContext());
        ch.pipeline().addFirst("tls", new Sealing()); // as TLS is added: in front of everything
        egress.writeAndFlush(Unpooled.copiedBuffer("frame", StandardCharsets.US_ASCII));
        assertThat(written(ch)).isEqualTo("sealed:frame");
    }

    @Test
    void aTlsHandlerAlreadyThereStaysInFrontOfRawWrites() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addFirst("ssl", new io.netty.handler.ssl.SslHandler(sslEngine()) {
        });
        ch.pipeline().addLast("codec", new ChannelOutboundHandlerAdapter());
        NettyAccess.egress(ch.pipeline().lastContext());
        assertThat(ch.pipeline().names()).as("the marker sits right after TLS")
                .containsSubsequence("ssl", NettyAccess.EGRESS, "codec");
        ch.finishAndReleaseAll(); // the handshake's ClientHello waits in the outbound queue
    }

    @Test
    void compressionMakesRawEgressRefuseRatherThanCorruptTheStream() {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpContentCompressor(), new ChannelInboundHandlerAdapter());
        assertThatThrownBy(() -> NettyAccess.egress(ch.pipeline().lastContext()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("HttpContentCompressor");
    }

    private static javax.net.ssl.SSLEngine sslEngine() {
        try {
            javax.net.ssl.SSLEngine e = javax.net.ssl.SSLContext.getDefault().createSSLEngine();
            e.setUseClientMode(true);
            return e;
        } catch (java.security.NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** What a write hands the transport, seen from just above it (the transport copies in {@code filterOutboundMessage}). */
    private record Sent(int bytes, ByteBuf root, boolean direct, boolean transportCopies, String channel) {
    }

    /** Sits in front of every other handler, where the channel's own head takes each message. */
    @ChannelHandler.Sharable
    private static final class TransportProbe extends ChannelOutboundHandlerAdapter {
        final List<Sent> sent = new CopyOnWriteArrayList<>();

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof ByteBuf b) {
                sent.add(new Sent(b.readableBytes(), root(b), b.isDirect(), UnixChannelUtil.isBufferCopyNeededForWrite(b),
                        ctx.channel().getClass().getSimpleName()));
            }
            ctx.write(msg, promise);
        }
    }

    private static ByteBuf root(ByteBuf b) {
        while (b.unwrap() != null) {
            b = b.unwrap();
        }
        return b;
    }

    /** Serves {@code body} to two GETs on a Vert.x server set up as openlive's (native transport); what reached the transport. */
    private static List<Sent> serveTwice(Function<HttpServerRequest, Buffer> body, byte[] expected) throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        TransportProbe probe = new TransportProbe();
        try {
            HttpServer server = vertx.createHttpServer().requestHandler(request -> {
                ChannelPipeline pipeline = NettyAccess.of(request).pipeline();
                if (pipeline.get(TransportProbe.class) == null) {
                    pipeline.addFirst(probe);
                }
                request.response().putHeader("Content-Type", "video/mp4").end(body.apply(request));
            }).listen(0, "127.0.0.1").await();
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (int i = 0; i < 2; i++) {
                HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.actualPort() + "/s1.m4s")).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).isEqualTo(expected);
            }
            return probe.sent.stream().filter(s -> s.bytes() == expected.length).toList();
        } finally {
            vertx.close().await();
        }
    }

    private static byte[] segment() {
        byte[] b = new byte[650_000];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 31);
        }
        return b;
    }

    @Test
    void aWrappedDirectBufferReachesTheTransportAsTheSameMemoryWithNoCopy() throws Exception {
        byte[] bytes = segment();
        SharedBytes media = new SharedBytes(bytes);
        List<Sent> bodies = serveTwice(request -> NettyAccess.buffer(media.view()), bytes);
        assertThat(bodies).as("each response's body, passed on whole").hasSize(2);
        for (Sent s : bodies) {
            assertThat(s.root()).as("the shared memory itself, not a copy").isSameAs(root(media.view()));
            assertThat(s.direct()).isTrue();
            assertThat(s.transportCopies()).as("the transport (%s) writes it as it is", s.channel()).isFalse();
        }
    }

    @Test
    void aBufferMadeFromAnArrayIsCopiedPerResponseAndAgainByTheTransport() throws Exception {
        byte[] bytes = segment();
        List<Sent> bodies = serveTwice(request -> Buffer.buffer(bytes), bytes);
        assertThat(bodies).hasSize(2);
        assertThat(bodies.get(0).root()).as("a new heap copy per response").isNotSameAs(bodies.get(1).root());
        assertThat(bodies).allMatch(Sent::transportCopies, "copied again into a direct buffer by epoll");
    }
}
