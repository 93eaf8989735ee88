package io.openlive.protocol.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class HandshakeTest {
    private static ByteBuf c0c1(boolean digest, Handshake.Layout layout) {
        ByteBuf c = Unpooled.buffer(1 + Handshake.PACKET_SIZE);
        c.writeByte(3).writeInt(0);
        c.writeInt(digest ? 0x80000702 : 0); // ffmpeg announces a Flash Player version and signs C1
        byte[] random = new byte[Handshake.PACKET_SIZE - 8];
        new Random(1).nextBytes(random);
        c.writeBytes(random);
        if (digest) {
            Handshake.signClientPacket(c, 1, layout);
        }
        return c;
    }

    @Test
    void plainClientGetsItsC1Echoed() {
        ByteBuf c = c0c1(false, null);
        ByteBuf s = Handshake.serverResponse(ByteBufAllocator.DEFAULT, c);
        assertThat(s.readableBytes()).isEqualTo(1 + 2 * Handshake.PACKET_SIZE);
        assertThat(s.getByte(0)).isEqualTo((byte) 3);
        assertThat(s.getInt(5)).as("plain S1 has zero version").isZero();
        assertThat(ByteBufUtil.equals(s, 1 + Handshake.PACKET_SIZE, c, 1, Handshake.PACKET_SIZE)).isTrue();
        s.release();
    }

    @ParameterizedTest
    @EnumSource(Handshake.Layout.class)
    void digestClientGetsSignedS1(Handshake.Layout layout) {
        ByteBuf c = c0c1(true, layout);
        ByteBuf s = Handshake.serverResponse(ByteBufAllocator.DEFAULT, c);
        assertThat(s.getInt(5)).as("digest S1 announces a server version").isNotZero();
        assertThat(Handshake.hasValidServerDigest(s, 1)).isTrue();
        s.release();
    }

    @Test
    void unsignedC1WithVersionFallsBackToPlain() {
        ByteBuf c = c0c1(false, null);
        c.setInt(5, 0x0A000C02); // a version but no valid digest, as some hardware encoders send
        ByteBuf s = Handshake.serverResponse(ByteBufAllocator.DEFAULT, c);
        assertThat(s.getInt(5)).isZero();
        s.release();
    }

    private static final class Events extends ChannelInboundHandlerAdapter {
        final List<Object> events = new ArrayList<>();
        final List<Object> messages = new ArrayList<>();

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            events.add(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            messages.add(msg);
        }
    }

    @Test
    void completesAtEveryFragmentSizeAndPassesOnTheBytesAfterC2() {
        for (int fragment : new int[]{1, 100, 1537, 4000}) {
            Events events = new Events();
            EmbeddedChannel ch = new EmbeddedChannel(new RtmpServerHandshake(new RtmpChunkDecoder()), events);
            ByteBuf wire = Unpooled.buffer();
            wire.writeBytes(c0c1(true, Handshake.Layout.KEY_FIRST));
            wire.writeBytes(new byte[Handshake.PACKET_SIZE]); // C2
            ByteBuf connect = RtmpChunkEncoder.encode(ByteBufAllocator.DEFAULT, new RtmpMessage.SetChunkSize(4096), 128);
            wire.writeBytes(connect);
            connect.release();
            while (wire.isReadable()) {
                ch.writeInbound(wire.readRetainedSlice(Math.min(fragment, wire.readableBytes())));
            }
            ByteBuf s0s1s2 = ch.readOutbound();
            assertThat(s0s1s2.readableBytes()).isEqualTo(1 + 2 * Handshake.PACKET_SIZE);
            s0s1s2.release();
            assertThat(events.events).containsExactly(new RtmpServerHandshake.Completed(true));
            assertThat(events.messages).as("fragment %d", fragment).containsExactly(new RtmpMessage.SetChunkSize(4096));
            assertThat(ch.finish()).isFalse();
            wire.release();
        }
    }

    @Test
    void wrongVersionFailsAtOnce() {
        Events events = new Events();
        EmbeddedChannel ch = new EmbeddedChannel(new RtmpServerHandshake(new RtmpChunkDecoder()), events);
        ch.writeInbound(Unpooled.wrappedBuffer("GET / HTTP/1.1\r\n".getBytes()));
        assertThat(events.events).containsExactly(new RtmpServerHandshake.Failed("handshake version 71, expected 3"));
        assertThat((Object) ch.readOutbound()).isNull();
        assertThat(ch.finish()).isFalse();
    }
}
