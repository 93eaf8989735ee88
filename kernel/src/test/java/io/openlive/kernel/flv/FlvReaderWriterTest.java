package io.openlive.kernel.flv;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

class FlvReaderWriterTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    private static ByteBuf sampleStream() {
        ByteBuf out = Unpooled.buffer();
        ByteBuf header = FlvWriter.header(ALLOC, true, true);
        out.writeBytes(header);
        header.release();
        int[][] tags = {{FlvTagType.SCRIPT, 0, 20}, {FlvTagType.VIDEO, 0, 300}, {FlvTagType.AUDIO, 21, 7},
                {FlvTagType.VIDEO, 33, 1}, {FlvTagType.VIDEO, 0x01_23_45_67, 50}};
        for (int[] t : tags) {
            ByteBuf body = Unpooled.buffer(t[2]);
            for (int i = 0; i < t[2]; i++) {
                body.writeByte(i * 7 + t[0]);
            }
            ByteBuf tag = FlvWriter.tag(ALLOC, t[0], t[1], body);
            out.writeBytes(tag);
            tag.release();
            body.release();
        }
        return out;
    }

    @Test
    void headerHasSignatureFlagsAndFirstPreviousTagSize() {
        ByteBuf h = FlvWriter.header(ALLOC, true, false);
        assertThat(h.readableBytes()).isEqualTo(13);
        assertThat(h.toString(0, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("FLV");
        assertThat(h.getByte(4)).isEqualTo((byte) 0x04);
        assertThat(h.getInt(5)).isEqualTo(9);
        assertThat(h.getInt(9)).isZero();
        h.release();
    }

    @Test
    void tagCarriesExtendedTimestampAndPreviousTagSize() {
        ByteBuf body = Unpooled.wrappedBuffer(new byte[]{1, 2, 3});
        ByteBuf tag = FlvWriter.tag(ALLOC, FlvTagType.VIDEO, 0x12345678, body);
        assertThat(tag.getUnsignedByte(0)).isEqualTo((short) 9);
        assertThat(tag.getUnsignedMedium(1)).isEqualTo(3);
        assertThat(tag.getUnsignedMedium(4)).isEqualTo(0x345678);
        assertThat(tag.getUnsignedByte(7)).isEqualTo((short) 0x12);
        assertThat(tag.getInt(tag.readableBytes() - 4)).isEqualTo(14);
        tag.release();
    }

    @Test
    void readsTheSameTagsAtEveryFragmentSize() {
        ByteBuf stream = sampleStream();
        List<String> expected = readAll(stream.duplicate(), stream.readableBytes());
        assertThat(expected).hasSize(5);
        assertThat(expected.get(4)).startsWith("9@19088743/50");
        for (int fragment = 1; fragment <= 64; fragment++) {
            assertThat(readAll(stream.duplicate(), fragment)).as("fragment %d", fragment).isEqualTo(expected);
        }
        stream.release();
    }

    private static List<String> readAll(ByteBuf stream, int fragment) {
        FlvReader reader = new FlvReader();
        ByteBuf acc = Unpooled.buffer();
        List<String> tags = new ArrayList<>();
        while (stream.isReadable()) {
            acc.writeBytes(stream, Math.min(fragment, stream.readableBytes()));
            reader.feed(acc, t -> {
                tags.add(t.type() + "@" + t.timestamp() + "/" + t.data().readableBytes() + ":" + io.netty.buffer.ByteBufUtil.hexDump(t.data()));
                t.data().release();
            });
            acc.discardReadBytes();
        }
        assertThat(acc.isReadable()).isFalse();
        acc.release();
        return tags;
    }

    @Test
    void rejectsWrongSignature() {
        ByteBuf bad = Unpooled.wrappedBuffer("GIF89a-not-flv".getBytes());
        assertThatThrownBy(() -> new FlvReader().feed(bad, t -> { })).isInstanceOf(FlvException.class).hasMessageContaining("signature");
    }

    @Test
    void rejectsOversizedTagBeforeBufferingIt() {
        ByteBuf in = Unpooled.buffer();
        ByteBuf header = FlvWriter.header(ALLOC, true, true);
        in.writeBytes(header);
        header.release();
        FlvWriter.writeTagHeader(in, FlvTagType.VIDEO, 0, 0xFFFFFF);
        FlvReader reader = new FlvReader(1 << 20);
        assertThatThrownBy(() -> reader.feed(in, t -> { })).isInstanceOf(FlvException.class).hasMessageContaining("exceeds");
        assertThatThrownBy(() -> reader.feed(Unpooled.buffer(1), t -> { })).isInstanceOf(FlvException.class);
    }

    @Test
    void rejectsInconsistentPreviousTagSize() {
        ByteBuf stream = sampleStream();
        stream.setInt(13 + 11 + 20, 12345); // first tag's trailer
        List<FlvTag> got = new ArrayList<>();
        assertThatThrownBy(() -> new FlvReader().feed(stream, got::add)).isInstanceOf(FlvException.class).hasMessageContaining("PreviousTagSize");
        assertThat(got).isEmpty();
        stream.release();
    }

    @Test
    void randomBytesRaiseOnlyTheDeclaredFailure() {
        Random random = new Random(7);
        for (int i = 0; i < 5_000; i++) {
            byte[] bytes = new byte[random.nextInt(200)];
            random.nextBytes(bytes);
            if (bytes.length > 13) {
                bytes[0] = 'F';
                bytes[1] = 'L';
                bytes[2] = 'V';
                bytes[5] = 0;
                bytes[6] = 0;
                bytes[7] = 0;
                bytes[8] = 9;
            }
            Throwable t = catchThrowable(() -> new FlvReader(4096).feed(Unpooled.wrappedBuffer(bytes), tag -> tag.data().release()));
            if (t != null) {
                assertThat(t).isInstanceOf(FlvException.class);
            }
        }
    }
}
