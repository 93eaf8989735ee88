package io.openlive.protocol.rtmp;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Decoders sharing a {@link RtmpBufferBudget} hold at most the budget in partly received messages between them; a
 * message past it fails only its own connection, and what a connection held is given back when it goes. Limits raised
 * with {@link RtmpChunkDecoder#limits} take effect on the chunk size the peer asked for.
 */
class RtmpBufferBudgetTest {
    /** A type-0 header (5.3.1) on chunk stream 4 declaring a video message of {@code length} bytes, then one chunk of it. */
    private static byte[] firstChunk(int length, int chunk) {
        byte[] b = new byte[12 + chunk];
        b[0] = 0x04;
        b[4] = (byte) (length >> 16);
        b[5] = (byte) (length >> 8);
        b[6] = (byte) length;
        b[7] = 9;
        return b;
    }

    @Test
    void decodersShareTheBudget() {
        RtmpBufferBudget budget = new RtmpBufferBudget(100_000);
        RtmpChunkDecoder first = new RtmpChunkDecoder(RtmpDecoderConfig.defaults());
        RtmpChunkDecoder second = new RtmpChunkDecoder(RtmpDecoderConfig.defaults());
        first.budget(budget);
        second.budget(budget);
        EmbeddedChannel a = new EmbeddedChannel(first);
        EmbeddedChannel b = new EmbeddedChannel(second);
        a.writeInbound(Unpooled.wrappedBuffer(firstChunk(60_000, 128)));
        assertThat((Object) a.readInbound()).isNull();
        assertThat(budget.reserved()).isEqualTo(60_000);
        b.writeInbound(Unpooled.wrappedBuffer(firstChunk(60_000, 128)));
        assertThat((Object) b.readInbound()).isInstanceOfSatisfying(RtmpMessage.Malformed.class,
                m -> assertThat(m.reason()).contains("buffer budget"));
        assertThat(budget.reserved()).isEqualTo(60_000);
        a.finishAndReleaseAll();
        b.finishAndReleaseAll();
        assertThat(budget.reserved()).isZero();
    }

    @Test
    void raisedLimitsUseThePeersChunkSize() {
        RtmpChunkDecoder d = new RtmpChunkDecoder(RtmpDecoderConfig.beforePublish());
        EmbeddedChannel ch = new EmbeddedChannel(d);
        // Set Chunk Size 1 MiB (5.4.1) on chunk stream 2: capped at the 64 KiB message limit until the limits are raised
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[]{0x02, 0, 0, 0, 0, 0, 4, 1, 0, 0, 0, 0, 0, 0x10, 0, 0}));
        assertThat((Object) ch.readInbound()).isInstanceOf(RtmpMessage.SetChunkSize.class);
        assertThat(d.chunkSize()).isEqualTo(64 * 1024);
        d.limits(RtmpDecoderConfig.defaults());
        assertThat(d.chunkSize()).isEqualTo(1 << 20);
        ch.writeInbound(Unpooled.wrappedBuffer(firstChunk(200_000, 200_000)));
        RtmpMessage.VideoData v = ch.readInbound();
        assertThat(v.payload().readableBytes()).isEqualTo(200_000);
        v.release();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }
}
