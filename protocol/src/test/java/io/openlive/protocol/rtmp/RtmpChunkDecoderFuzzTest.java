package io.openlive.protocol.rtmp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;

/**
 * Jazzer target: arbitrary bytes through the chunk decoder in three pieces never throw out of the pipeline and leave
 * nothing unreleased; bad input ends in one {@link RtmpMessage.Malformed}.
 */
class RtmpChunkDecoderFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void decode(byte[] input) {
        EmbeddedChannel ch = new EmbeddedChannel(new RtmpChunkDecoder(new RtmpDecoderConfig(64 * 1024, 16, 128 * 1024)));
        int third = input.length / 3;
        ch.writeInbound(Unpooled.wrappedBuffer(input, 0, third));
        ch.writeInbound(Unpooled.wrappedBuffer(input, third, third));
        ch.writeInbound(Unpooled.wrappedBuffer(input, 2 * third, input.length - 2 * third));
        Object m;
        while ((m = ch.readInbound()) != null) {
            ReferenceCountUtil.release(m);
        }
        ch.finishAndReleaseAll();
    }
}
