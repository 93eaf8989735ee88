package io.openlive.kernel.flv;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Jazzer target: the FLV parser fed arbitrary bytes in two pieces yields tags or {@link FlvException}, nothing else. */
class FlvReaderFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void parse(byte[] input) {
        FlvReader reader = new FlvReader(64 * 1024);
        ByteBuf acc = Unpooled.buffer();
        try {
            int split = input.length / 2;
            acc.writeBytes(input, 0, split);
            reader.feed(acc, t -> t.data().release());
            acc.writeBytes(input, split, input.length - split);
            reader.feed(acc, t -> t.data().release());
        } catch (FlvException expected) {
            // the declared failure
        } finally {
            acc.release();
        }
    }
}
