package io.openlive.bench;

import io.openlive.kernel.codec.AacConfig;
import io.openlive.kernel.codec.AvcConfig;
import io.openlive.kernel.codec.Sample;
import io.openlive.kernel.fmp4.Fmp4Fragment;
import io.openlive.kernel.fmp4.Fmp4Init;
import io.openlive.kernel.mpegts.TsSegment;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MediaTimesTest {
    private static final byte[] AVC_RECORD = HexFormat.of().parseHex(
            "0142c01fffe100176742c01fda014016ec0440000003004000000f03c60ca801000468ce0fc8");
    private static final byte[] AAC_LC_44100_STEREO = {0x12, 0x10};
    /** One length-prefixed NAL unit: enough for the muxers, which do not decode. */
    private static final byte[] ACCESS_UNIT = {0, 0, 0, 2, 0x65, (byte) 0x88};

    /** Video frames at 90 kHz from RTMP time {@code firstMs}, 33 ms apart, with a composition offset (B-frames). */
    private static List<Sample> video(long firstMs, int count) {
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(new Sample((firstMs + 33L * i) * 90, 33 * 90, 66 * 90, i == 0, ACCESS_UNIT));
        }
        return out;
    }

    private static List<Sample> audio(long firstMs, int count) {
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(new Sample(firstMs * 44100 / 1000 + 1024L * i, 1024, 0, true, new byte[]{0x21, 0x10, 0x04}));
        }
        return out;
    }

    @Test
    void lastVideoFrameOfAnFmp4PartIsItsTfdtPlusTheDurationsBeforeIt() {
        byte[] part = Fmp4Fragment.of(7, video(123_456, 9), audio(123_456, 12));
        assertThat(MediaTimes.lastVideoMsFmp4(part, Fmp4Init.VIDEO_TRACK)).isEqualTo(123_456 + 8 * 33);
        assertThat(MediaTimes.lastVideoMsFmp4(part, Fmp4Init.AUDIO_TRACK)).isNotEqualTo(-1); // the audio run is there too
    }

    @Test
    void aSegmentOfSeveralPartsIsReadToItsLastMoof() throws Exception {
        ByteArrayOutputStream segment = new ByteArrayOutputStream();
        segment.write(Fmp4Fragment.of(1, video(60_000, 9), audio(60_000, 12)));
        segment.write(Fmp4Fragment.of(2, video(60_297, 9), audio(60_297, 12)));
        assertThat(MediaTimes.lastVideoMsFmp4(segment.toByteArray(), Fmp4Init.VIDEO_TRACK)).isEqualTo(60_297 + 8 * 33);
    }

    @Test
    void anAudioOnlyPartOrGarbageHasNoVideoTime() {
        assertThat(MediaTimes.lastVideoMsFmp4(Fmp4Fragment.of(1, List.of(), audio(0, 5)), Fmp4Init.VIDEO_TRACK)).isEqualTo(-1);
        assertThat(MediaTimes.lastVideoMsFmp4(new byte[]{0, 0, 0, 4, 'm'}, Fmp4Init.VIDEO_TRACK)).isEqualTo(-1);
        assertThat(MediaTimes.lastVideoMsTs(new byte[188 * 2])).isEqualTo(-1);
    }

    @Test
    void lastVideoFrameOfAnMpegTsSegmentIsItsLastPesDts() throws Exception {
        byte[] ts = TsSegment.of(AvcConfig.parse(AVC_RECORD), AacConfig.parse(AAC_LC_44100_STEREO), video(2_000_000, 60), audio(2_000_000, 86));
        // DTS, not the PTS 66 ms later
        assertThat(MediaTimes.lastVideoMsTs(ts)).isEqualTo(2_000_000 + 59 * 33);
    }

    @Test
    void readsThirtyThreeBitTimestampsWithTheirMarkerBits() {
        // PTS 0x1_2345_6789 in the five-byte layout of ISO/IEC 13818-1 2.4.3.7, prefix '0010'
        long v = 0x1_2345_6789L;
        byte[] b = {(byte) (0x21 | ((v >> 29) & 0x0E)), (byte) (v >> 22), (byte) (((v >> 14) & 0xFE) | 1), (byte) (v >> 7), (byte) (((v << 1) & 0xFE) | 1)};
        assertThat(MediaTimes.timestamp(b, 0)).isEqualTo(v);
    }
}
