package io.openlive.kernel.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MediaTagTest {
    private static ByteBuf bytes(int... b) {
        ByteBuf buf = Unpooled.buffer(b.length);
        for (int x : b) {
            buf.writeByte(x);
        }
        return buf;
    }

    @Test
    void legacyAvcSequenceHeaderKeyframeAndInterFrame() {
        ByteBuf config = bytes(0x17, 0x00, 0, 0, 0, 1, 0x64);
        ByteBuf key = bytes(0x17, 0x01, 0, 0, 0x21, 0, 0, 0, 1, 0x65);
        ByteBuf inter = bytes(0x27, 0x01, 0, 0, 0x21, 0, 0, 0, 1, 0x41);
        assertThat(VideoTag.isSequenceHeader(config)).isTrue();
        assertThat(VideoTag.isKeyframe(config)).isFalse();
        assertThat(VideoTag.isKeyframe(key)).isTrue();
        assertThat(VideoTag.isSequenceHeader(key)).isFalse();
        assertThat(VideoTag.isKeyframe(inter)).isFalse();
        assertThat(VideoTag.isCodedFrame(inter)).isTrue();
        assertThat(VideoTag.codec(key)).isEqualTo(VideoCodec.H264);
    }

    @Test
    void enhancedRtmpHevcPacketTypes() {
        // IsExHeader | FrameType 1 (key) | PacketType, then FourCC 'hvc1'
        ByteBuf sequenceStart = bytes(0x80 | 0x10, 'h', 'v', 'c', '1', 0x01, 0x01);
        ByteBuf codedKey = bytes(0x80 | 0x10 | 1, 'h', 'v', 'c', '1', 0, 0, 0, 0, 0, 0, 1, 0x26);
        ByteBuf codedXInter = bytes(0x80 | 0x20 | 3, 'h', 'v', 'c', '1', 0, 0, 0, 1, 0x02);
        ByteBuf sequenceEnd = bytes(0x80 | 0x10 | 2, 'h', 'v', 'c', '1');
        assertThat(VideoTag.codec(sequenceStart)).isEqualTo(VideoCodec.H265);
        assertThat(VideoTag.isSequenceHeader(sequenceStart)).isTrue();
        assertThat(VideoTag.isKeyframe(sequenceStart)).isFalse();
        assertThat(VideoTag.isKeyframe(codedKey)).isTrue();
        assertThat(VideoTag.isKeyframe(codedXInter)).isFalse();
        assertThat(VideoTag.isCodedFrame(codedXInter)).isTrue();
        assertThat(VideoTag.isCodedFrame(sequenceEnd)).isFalse();
    }

    @Test
    void legacyHevcCodecIdTwelve() {
        assertThat(VideoTag.codec(bytes(0x1C, 0x00))).isEqualTo(VideoCodec.H265);
        assertThat(VideoTag.isSequenceHeader(bytes(0x1C, 0x00))).isTrue();
    }

    @Test
    void aacSequenceHeaderAndRawFrames() {
        assertThat(AudioTag.isSequenceHeader(bytes(0xAF, 0x00, 0x11, 0x90))).isTrue();
        assertThat(AudioTag.isSequenceHeader(bytes(0xAF, 0x01, 0x21))).isFalse();
        assertThat(AudioTag.codecName(bytes(0xAF, 0x01))).isEqualTo("aac");
        assertThat(AudioTag.isSequenceHeader(bytes(0x2F, 0x00))).isFalse();
    }

    @Test
    void emptyBodiesAreNeitherConfigNorKeyframes() {
        assertThat(VideoTag.isSequenceHeader(Unpooled.EMPTY_BUFFER)).isFalse();
        assertThat(VideoTag.isKeyframe(Unpooled.EMPTY_BUFFER)).isFalse();
        assertThat(AudioTag.isSequenceHeader(Unpooled.EMPTY_BUFFER)).isFalse();
    }
}
