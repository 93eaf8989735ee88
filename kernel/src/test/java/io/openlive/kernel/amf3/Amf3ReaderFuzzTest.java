package io.openlive.kernel.amf3;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.openlive.kernel.amf0.Amf0Exception;

import java.util.List;

/**
 * Jazzer target: any bytes, read as one AMF 3 value and as an RTMP type-15/17 body (AMF0 with AMF 3 after each 0x11),
 * either decode or fail with {@link Amf3Exception} or {@link Amf0Exception}; nothing else may escape. What decodes is
 * printed, which loops or overflows the stack on a cyclic value and takes unbounded time on an unbounded expansion.
 */
class Amf3ReaderFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void decode(byte[] input) {
        try {
            String.valueOf(Amf3Reader.read(Unpooled.wrappedBuffer(input))).length();
        } catch (Amf3Exception expected) {
            // the declared failure
        }
        try {
            List<Object> values = Amf3Reader.readMessage(Unpooled.wrappedBuffer(input));
            values.toString().length();
        } catch (Amf3Exception | Amf0Exception expected) {
            // the declared failures
        }
    }
}
