package io.openlive.kernel.codec;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CodecConfigTest {
    @Test
    void avcRecordGivesParameterSetsSizeAndCodecString() {
        AvcConfig c = AvcConfig.parse(Fixtures.AVC_RECORD);
        assertThat(c.nalLengthSize()).isEqualTo(4);
        assertThat(c.sps()).hasSize(1);
        assertThat(c.pps()).hasSize(1);
        assertThat(c.sps().get(0)[0] & 0x1F).isEqualTo(7);
        assertThat(c.pps().get(0)[0] & 0x1F).isEqualTo(8);
        assertThat(c.width()).isEqualTo(1280);
        assertThat(c.height()).isEqualTo(720);
        assertThat(c.codecString()).isEqualTo("avc1.42c01f");
    }

    @Test
    void highProfileSpsWithCroppingGives1080() {
        // x264 High profile 1920x1080: 1088 coded lines cropped by 4 (frame_crop_bottom_offset 4, crop unit 2)
        byte[] sps = HexFormat.of().parseHex("67640028acd940780227e5c044000003000400000300f03c60c658");
        AvcSps parsed = AvcSps.parse(sps);
        assertThat(parsed.profile()).isEqualTo(100);
        assertThat(parsed.width()).isEqualTo(1920);
        assertThat(parsed.height()).isEqualTo(1080);
    }

    /** chroma_format_idc coded as 2^32 - 2 was read as the int -2 and passed the "> 3" check. */
    @Test
    void anExpGolombValuePastIntRangeIsADeclaredFailure() {
        byte[] sps = {0x67, 100, 0, 40, (byte) 0x80, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        assertThatThrownBy(() -> AvcSps.parse(sps)).isInstanceOf(CodecConfigException.class).hasMessageContaining("out of range");
    }

    @Test
    void everyTruncatedAvcRecordIsADeclaredFailure() {
        for (int n = 0; n < Fixtures.AVC_RECORD.length - 4; n++) {
            byte[] cut = Arrays.copyOf(Fixtures.AVC_RECORD, n);
            assertThatThrownBy(() -> AvcConfig.parse(cut)).isInstanceOf(CodecConfigException.class);
        }
    }

    @Test
    void aacLcConfig() {
        AacConfig c = AacConfig.parse(Fixtures.AAC_LC_44100_STEREO);
        assertThat(c.objectType()).isEqualTo(2);
        assertThat(c.sampleRate()).isEqualTo(44100);
        assertThat(c.frequencyIndex()).isEqualTo(4);
        assertThat(c.channels()).isEqualTo(2);
        assertThat(c.codecString()).isEqualTo("mp4a.40.2");
    }

    @Test
    void heAacSignalsItsCoreObjectType() {
        // object type 5 (SBR), index 6 (24 kHz core), stereo, extension index 3 (48 kHz), then object type 2
        byte[] asc = {0x2B, 0x11, (byte) 0x88, 0x00};
        AacConfig c = AacConfig.parse(asc);
        assertThat(c.objectType()).isEqualTo(2);
        assertThat(c.sampleRate()).isEqualTo(24000);
        assertThat(c.codecString()).isEqualTo("mp4a.40.5");
    }

    @Test
    void badAacConfigsAreDeclaredFailures() {
        assertThatThrownBy(() -> AacConfig.parse(new byte[0])).isInstanceOf(CodecConfigException.class);
        assertThatThrownBy(() -> AacConfig.parse(new byte[]{(byte) 0xF8})).isInstanceOf(CodecConfigException.class);
        assertThatThrownBy(() -> AacConfig.parse(new byte[]{0x12, 0x00})).as("channel configuration 0")
                .isInstanceOf(CodecConfigException.class);
        assertThatThrownBy(() -> AacConfig.parse(new byte[65])).isInstanceOf(CodecConfigException.class);
    }

    @Test
    void adtsHeaderFields() {
        AacConfig c = AacConfig.parse(Fixtures.AAC_LC_44100_STEREO);
        byte[] frame = Adts.frame(c, new byte[100]);
        assertThat(frame).hasSize(107);
        assertThat(frame[0] & 0xFF).isEqualTo(0xFF);
        assertThat(frame[1] & 0xF6).as("sync, MPEG-4, layer 0").isEqualTo(0xF0);
        assertThat(frame[1] & 1).as("no CRC").isEqualTo(1);
        assertThat((frame[2] & 0xFF) >> 6).as("profile = object type - 1").isEqualTo(1);
        assertThat((frame[2] >> 2) & 0x0F).isEqualTo(4);
        int channels = ((frame[2] & 1) << 2) | ((frame[3] & 0xFF) >> 6);
        assertThat(channels).isEqualTo(2);
        int length = ((frame[3] & 3) << 11) | ((frame[4] & 0xFF) << 3) | ((frame[5] & 0xFF) >> 5);
        assertThat(length).isEqualTo(107);
        assertThatThrownBy(() -> Adts.frame(c, new byte[Adts.MAX_FRAME])).isInstanceOf(CodecConfigException.class);
    }

    @Test
    void annexBKeyframeHasDelimiterThenParameterSetsThenNalUnits() {
        AvcConfig c = AvcConfig.parse(Fixtures.AVC_RECORD);
        byte[] es = AnnexB.of(new Sample(0, 3000, 0, true, Fixtures.idrAccessUnit()), c);
        String hex = HexFormat.of().formatHex(es);
        String sps = HexFormat.of().formatHex(c.sps().get(0));
        String pps = HexFormat.of().formatHex(c.pps().get(0));
        assertThat(hex).isEqualTo("0000000109f0" + "00000001" + sps + "00000001" + pps
                + "00000001060501" + "0000000165888421");
        byte[] inter = AnnexB.of(new Sample(0, 3000, 0, false, Fixtures.idrAccessUnit()), c);
        assertThat(HexFormat.of().formatHex(inter)).isEqualTo("0000000109f0" + "00000001060501" + "0000000165888421");
    }

    @Test
    void annexBStopsAtANalLengthPastTheSample() {
        AvcConfig c = AvcConfig.parse(Fixtures.AVC_RECORD);
        byte[] bad = {0, 0, 0, 2, 0x41, 0x00, 0x7F, 0, 0, 0, 0x41};
        assertThat(HexFormat.of().formatHex(AnnexB.of(new Sample(0, 0, 0, false, bad), c)))
                .isEqualTo("0000000109f0" + "000000014100");
    }
}
