package io.openlive.kernel.amf0;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;

/** Jazzer target: any bytes either decode or fail with {@link Amf0Exception}; nothing else may escape. */
class Amf0ReaderFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void decode(byte[] input) {
        try {
            Amf0Reader.readAll(Unpooled.wrappedBuffer(input));
        } catch (Amf0Exception expected) {
            // the declared failure
        }
    }
}
