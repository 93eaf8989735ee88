package io.openlive.kernel.codec;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HevcConfigTest {
    @Test
    void x265RecordGivesProfileTierLevelParameterSetsAndTheCroppedSize() {
        HevcConfig c = HevcConfig.parse(Fixtures.HEVC_RECORD);
        assertThat(c.nalLengthSize()).isEqualTo(4);
        assertThat(c.profileSpace()).isZero();
        assertThat(c.tier()).isZero();
        assertThat(c.profileIdc()).as("Main").isEqualTo(1);
        assertThat(c.compatibilityFlags()).as("Main and Main 10 compatible").isEqualTo(0x60000000);
        assertThat(c.levelIdc()).isEqualTo(Fixtures.HEVC_LEVEL);
        assertThat(c.vps()).hasSize(1);
        assertThat(c.sps()).hasSize(1);
        assertThat(c.pps()).hasSize(1);
        assertThat((c.vps().get(0)[0] >> 1) & 0x3F).isEqualTo(32);
        assertThat((c.sps().get(0)[0] >> 1) & 0x3F).isEqualTo(33);
        assertThat((c.pps().get(0)[0] >> 1) & 0x3F).isEqualTo(34);
        assertThat(c.parameterSets()).containsExactly(c.vps().get(0), c.sps().get(0), c.pps().get(0));
        // 636x354 is coded as 640x360, the 8x8 coding blocks' multiple, with a conformance window of 2 and 3 chroma
        // samples (4 and 6 luma samples) on the right and at the bottom
        assertThat(c.width()).isEqualTo(636);
        assertThat(c.height()).isEqualTo(354);
        assertThat(c.codec()).isEqualTo(VideoCodec.H265);
        assertThat(c.record()).isEqualTo(Fixtures.HEVC_RECORD);
        assertThat(c.codecString()).isEqualTo(Fixtures.HEVC_CODECS);
    }

    @Test
    void fourFourFourSpsCountsItsConformanceWindowInLumaSamples() {
        HevcConfig c = HevcConfig.parse(Fixtures.HEVC_444_RECORD);
        assertThat(c.profileIdc()).as("format range extensions").isEqualTo(4);
        assertThat(HevcSps.parse(c.sps().get(0)).chromaFormat()).isEqualTo(3);
        assertThat(c.width()).isEqualTo(636);
        assertThat(c.height()).isEqualTo(354);
    }

    @Test
    void subLayerProfilesAndLevelsAreSkippedAndEmulationPreventionRemoved() {
        Bits sps = new Bits();
        sps.u(0x4201, 16); // nal_unit_type 33, nuh_temporal_id_plus1 1
        sps.u(0, 4).u(2, 3).u(1, 1); // VPS id 0, sps_max_sub_layers_minus1 2, temporal id nesting
        sps.u(0x01, 8).u(0x60000000L, 32).u(0x90, 8).u(0, 40).u(93, 8); // general profile, tier, level: all zeros in between
        sps.u(1, 1).u(1, 1).u(0, 1).u(1, 1); // sub-layer 0: profile and level; sub-layer 1: level only
        sps.u(0, 2 * 6); // reserved_zero_2bits for i = 2..7
        sps.u(0x01, 8).u(0x60000000L, 32).u(0, 48); // sub-layer 0 profile (88 bits: 8 + 32 + 48)
        sps.u(90, 8); // sub-layer 0 level
        sps.u(60, 8); // sub-layer 1 level
        sps.ue(0).ue(1).ue(1920).ue(1088); // SPS id, 4:2:0, coded size
        sps.u(1, 1).ue(0).ue(0).ue(0).ue(4); // conformance window: 4 chroma rows at the bottom
        sps.u(1, 1).align(); // rest of the SPS cut off: the size is all that is read
        byte[] nal = sps.escaped();
        assertThat(nal.length).as("the zero runs needed emulation prevention").isGreaterThan(sps.bytes().length);
        HevcSps parsed = HevcSps.parse(nal);
        assertThat(parsed.width()).isEqualTo(1920);
        assertThat(parsed.height()).isEqualTo(1080);
        assertThat(parsed.chromaFormat()).isEqualTo(1);
    }

    @Test
    void codecStringFollowsIso14496AnnexE() {
        assertThat(config(0, 0, 1, 0x60000000, 0xB0L << 40, 93).codecString()).isEqualTo("hvc1.1.6.L93.B0");
        assertThat(config(0, 1, 2, 0x20000000, 0x90L << 40, 153).codecString()).isEqualTo("hvc1.2.4.H153.90");
        assertThat(config(1, 0, 4, 0x08000000, 0x9C0000000000L | 0x10, 120).codecString())
                .as("profile space A; zero bytes between others kept").isEqualTo("hvc1.A4.10.L120.9C.0.0.0.0.10");
        assertThat(config(0, 0, 1, 0x60000000, 0, 90).codecString()).as("no constraint bytes at all").isEqualTo("hvc1.1.6.L90");
    }

    private static HevcConfig config(int space, int tier, int profile, int compatibility, long constraints, int level) {
        return new HevcConfig(new byte[0], 4, space, tier, profile, compatibility, constraints, level, List.of(), List.of(),
                List.of(), 16, 16);
    }

    @Test
    void everyTruncatedRecordIsADeclaredFailure() {
        for (int n = 0; n < Fixtures.HEVC_RECORD.length; n++) {
            byte[] cut = Arrays.copyOf(Fixtures.HEVC_RECORD, n);
            if (n < lastNalEnd(Fixtures.HEVC_RECORD)) {
                assertThatThrownBy(() -> HevcConfig.parse(cut)).as("cut at %d", n).isInstanceOf(CodecConfigException.class);
            }
        }
    }

    @Test
    void recordsThatAreNotOnesAreDeclaredFailures() {
        byte[] version0 = Fixtures.HEVC_RECORD.clone();
        version0[0] = 0;
        byte[] lengthSize3 = Fixtures.HEVC_RECORD.clone();
        lengthSize3[21] = (byte) ((lengthSize3[21] & 0xFC) | 2);
        byte[] noArrays = Arrays.copyOf(Fixtures.HEVC_RECORD, 23);
        noArrays[22] = 0;
        HevcConfig c = HevcConfig.parse(Fixtures.HEVC_RECORD);
        for (byte[] bad : List.of(version0, lengthSize3, noArrays, new byte[0], c.pps().get(0))) {
            assertThatThrownBy(() -> HevcConfig.parse(bad)).isInstanceOf(CodecConfigException.class);
        }
        assertThatThrownBy(() -> HevcSps.parse(c.pps().get(0))).isInstanceOf(CodecConfigException.class);
    }

    @Test
    void seededRandomChangesNeverRaiseAnythingButTheDeclaredFailure() {
        Random random = new Random(16);
        for (int round = 0; round < 20_000; round++) {
            byte[] mutated = Fixtures.HEVC_RECORD.clone();
            for (int k = 1 + random.nextInt(4); k > 0; k--) {
                mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
            }
            try {
                HevcConfig c = HevcConfig.parse(mutated);
                assertThat(c.width()).isPositive();
                c.codecString();
            } catch (CodecConfigException expected) {
                // declared
            }
        }
    }

    /** Where the record's last NAL unit ends: cut before it, a record is short of something it announced. */
    private static int lastNalEnd(byte[] record) {
        int pos = 23;
        for (int a = 0; a < (record[22] & 0xFF); a++) {
            int count = ((record[pos + 1] & 0xFF) << 8) | (record[pos + 2] & 0xFF);
            pos += 3;
            for (int i = 0; i < count; i++) {
                pos += 2 + (((record[pos] & 0xFF) << 8) | (record[pos + 1] & 0xFF));
            }
        }
        return pos;
    }

    /** Writes bits most significant first, and ue(v) codes, for hand-made parameter sets. */
    private static final class Bits {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int current;
        private int count;

        Bits u(long value, int bits) {
            for (int i = bits - 1; i >= 0; i--) {
                current = (current << 1) | (int) ((value >> i) & 1);
                if (++count == 8) {
                    out.write(current);
                    current = 0;
                    count = 0;
                }
            }
            return this;
        }

        Bits ue(int value) {
            long v = value + 1L;
            int bits = 64 - Long.numberOfLeadingZeros(v);
            return u(0, bits - 1).u(v, bits);
        }

        Bits align() {
            while (count != 0) {
                u(0, 1);
            }
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        /** H.265 7.4.2: 0x03 after two zero bytes when the next byte is 0 to 3. */
        byte[] escaped() {
            ByteArrayOutputStream e = new ByteArrayOutputStream();
            int zeros = 0;
            for (byte b : bytes()) {
                if (zeros >= 2 && (b & 0xFF) <= 3) {
                    e.write(3);
                    zeros = 0;
                }
                e.write(b);
                zeros = b == 0 ? zeros + 1 : 0;
            }
            return e.toByteArray();
        }
    }
}
