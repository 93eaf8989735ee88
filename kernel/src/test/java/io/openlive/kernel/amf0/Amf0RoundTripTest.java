package io.openlive.kernel.amf0;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

class Amf0RoundTripTest {

    private static List<Object> roundTrip(Object... values) {
        ByteBuf buf = Unpooled.buffer();
        try {
            Amf0Writer.write(buf, values);
            List<Object> read = Amf0Reader.readAll(buf);
            assertThat(buf.isReadable()).isFalse();
            return read;
        } finally {
            buf.release();
        }
    }

    @Test
    void scalarsSurviveARoundTrip() {
        assertThat(roundTrip(1.5, -0.0, Double.MAX_VALUE, true, false, "", "héllo ✓", null))
                .containsExactly(1.5, -0.0, Double.MAX_VALUE, true, false, "", "héllo ✓", null);
    }

    @Test
    void undefinedStaysDistinctFromNull() {
        assertThat(roundTrip(Amf0.UNDEFINED, null)).containsExactly(Amf0.UNDEFINED, null);
    }

    @Test
    void stringsOver64KibBecomeLongStrings() {
        String big = "x".repeat(70_000);
        ByteBuf buf = Unpooled.buffer();
        Amf0Writer.write(buf, big);
        assertThat(buf.getByte(0)).isEqualTo((byte) Amf0.LONG_STRING);
        assertThat(Amf0Reader.read(buf)).isEqualTo(big);
        buf.release();
    }

    @Test
    void nestedObjectsKeepTheirOrder() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("z", 1.0);
        inner.put("a", List.of("x", 2.0, true));
        Map<String, Object> outer = new LinkedHashMap<>();
        outer.put("app", "live");
        outer.put("inner", inner);
        outer.put("when", Instant.ofEpochMilli(1_700_000_000_000L));
        Object read = roundTrip(outer).get(0);
        assertThat(read).isEqualTo(outer);
        assertThat(new ArrayList<Object>(((Map<?, ?>) read).keySet())).containsExactly("app", "inner", "when");
    }

    @Test
    void ecmaArraysReadAsMapsWhateverTheirAdvisoryCount() {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("width", 1280.0);
        meta.put("height", 720.0);
        ByteBuf buf = Unpooled.buffer();
        Amf0Writer.writeEcmaArray(buf, meta);
        buf.setInt(1, 99); // encoders get the count wrong; the end marker is what counts
        assertThat(Amf0Reader.read(buf)).isEqualTo(meta);
        buf.release();
    }

    @Test
    void truncatedInputIsRejected() {
        ByteBuf buf = Unpooled.buffer();
        Amf0Writer.write(buf, "connect", 1.0);
        ByteBuf cut = buf.slice(0, buf.readableBytes() - 3);
        assertThatThrownBy(() -> Amf0Reader.readAll(cut)).isInstanceOf(Amf0Exception.class).hasMessageContaining("truncated");
        buf.release();
    }

    @Test
    void unknownMarkerIsRejected() {
        assertThatThrownBy(() -> Amf0Reader.read(Unpooled.wrappedBuffer(new byte[]{0x42})))
                .isInstanceOf(Amf0Exception.class).hasMessageContaining("0x42");
    }

    @Test
    void deepNestingIsRejectedBeforeTheStackIs() {
        ByteBuf buf = Unpooled.buffer();
        for (int i = 0; i < 10_000; i++) {
            buf.writeByte(Amf0.STRICT_ARRAY).writeInt(1);
        }
        buf.writeByte(Amf0.NULL);
        assertThatThrownBy(() -> Amf0Reader.read(buf)).isInstanceOf(Amf0Exception.class).hasMessageContaining("nesting");
        buf.release();
    }

    @Test
    void hugeDeclaredLengthsAllocateNothing() {
        ByteBuf longString = Unpooled.buffer().writeByte(Amf0.LONG_STRING).writeInt(Integer.MAX_VALUE).writeByte('a');
        assertThatThrownBy(() -> Amf0Reader.read(longString)).isInstanceOf(Amf0Exception.class);
        ByteBuf array = Unpooled.buffer().writeByte(Amf0.STRICT_ARRAY).writeInt(-1);
        assertThatThrownBy(() -> Amf0Reader.read(array)).isInstanceOf(Amf0Exception.class);
    }

    @Test
    void randomBytesRaiseOnlyTheDeclaredFailure() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[random.nextInt(64)];
            random.nextBytes(bytes);
            if (bytes.length > 0) {
                bytes[0] = (byte) random.nextInt(0x12); // mostly valid markers, to get past the first byte
            }
            Throwable t = catchThrowable(() -> Amf0Reader.readAll(Unpooled.wrappedBuffer(bytes)));
            if (t != null) {
                assertThat(t).isInstanceOf(Amf0Exception.class);
            }
        }
    }

    @Test
    void manyMembersAreCapped() {
        ByteBuf buf = Unpooled.buffer().writeByte(Amf0.OBJECT);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i <= Amf0Reader.MAX_ELEMENTS; i++) {
            String k = "k" + i;
            keys.add(k);
            buf.writeShort(k.length()).writeBytes(k.getBytes()).writeByte(Amf0.NULL);
        }
        buf.writeShort(0).writeByte(Amf0.OBJECT_END);
        assertThatThrownBy(() -> Amf0Reader.read(buf)).isInstanceOf(Amf0Exception.class).hasMessageContaining("members");
        buf.release();
    }
}
