package io.openlive.server.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContentCompressor;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

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
}
