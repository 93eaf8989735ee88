package io.openlive.kernel.fmp4;

import io.openlive.kernel.codec.AacConfig;
import io.openlive.kernel.codec.AvcConfig;
import io.openlive.kernel.codec.Fixtures;
import io.openlive.kernel.codec.HevcConfig;
import io.openlive.kernel.codec.Sample;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class Fmp4MuxerTest {
    private final AvcConfig avc = AvcConfig.parse(Fixtures.AVC_RECORD);
    private final AacConfig aac = AacConfig.parse(Fixtures.AAC_LC_44100_STEREO);

    @Test
    void initSegmentHasFtypThenMoovWithBothTracksAndTheirConfigurations() {
        byte[] init = Fmp4Init.of(avc, aac);
        List<Boxes> top = Boxes.parse(init, 0, init.length);
        assertThat(top).extracting(Boxes::type).containsExactly("ftyp", "moov");
        assertThat(Boxes.find(top, "moov").children()).extracting(Boxes::type).containsExactly("mvhd", "trak", "trak", "mvex");
        List<Boxes> traks = Boxes.find(top, "moov").children().stream().filter(b -> b.type().equals("trak")).toList();
        ByteBuffer tkhd = traks.get(0).child("tkhd").payload();
        assertThat(tkhd.getInt(4 + 8)).as("track id").isEqualTo(1);
        assertThat(tkhd.getInt(tkhd.limit() - 8) >>> 16).isEqualTo(1280);
        assertThat(tkhd.getInt(tkhd.limit() - 4) >>> 16).isEqualTo(720);
        ByteBuffer mdhd = traks.get(1).child("mdia").child("mdhd").payload();
        assertThat(mdhd.getInt(12)).as("audio timescale is the sample rate").isEqualTo(44100);
        assertThat(traks.get(0).child("mdia").child("mdhd").payload().getInt(12)).isEqualTo(90_000);

        Boxes avc1 = traks.get(0).child("mdia").child("minf").child("stbl").child("stsd").children().get(0);
        assertThat(avc1.type()).isEqualTo("avc1");
        Boxes avcC = Boxes.parse(init, avc1.offset() + 8 + 78, avc1.offset() + avc1.size()).get(0);
        assertThat(avcC.type()).isEqualTo("avcC");
        assertThat(Arrays.copyOfRange(init, avcC.offset() + 8, avcC.offset() + avcC.size())).isEqualTo(Fixtures.AVC_RECORD);

        Boxes mp4a = traks.get(1).child("mdia").child("minf").child("stbl").child("stsd").children().get(0);
        assertThat(mp4a.type()).isEqualTo("mp4a");
        assertThat(mp4a.payload().getShort(16)).as("channel count").isEqualTo((short) 2);
        Boxes esds = Boxes.parse(init, mp4a.offset() + 8 + 28, mp4a.offset() + mp4a.size()).get(0);
        assertThat(esds.type()).isEqualTo("esds");
        byte[] body = Arrays.copyOfRange(init, esds.offset() + 12, esds.offset() + esds.size());
        // ES_Descriptor(3) > DecoderConfigDescriptor(4, object type 0x40, audio) > DecoderSpecificInfo(5) = the ASC
        assertThat(body[0]).isEqualTo((byte) 3);
        assertThat(body[1] & 0xFF).isEqualTo(body.length - 2);
        assertThat(body[5]).isEqualTo((byte) 4);
        assertThat(body[7]).isEqualTo((byte) 0x40);
        assertThat(body[20]).isEqualTo((byte) 5);
        assertThat(Arrays.copyOfRange(body, 22, 22 + body[21])).isEqualTo(Fixtures.AAC_LC_44100_STEREO);

        assertThat(Boxes.find(top, "moov/mvex").children()).extracting(Boxes::type).containsExactly("trex", "trex");
    }

    @Test
    void hevcInitHasAnHvc1EntryWithTheRecordVerbatimAndTheSpsSize() {
        byte[] init = Fmp4Init.of(HevcConfig.parse(Fixtures.HEVC_RECORD), aac);
        List<Boxes> top = Boxes.parse(init, 0, init.length);
        Boxes trak = Boxes.find(top, "moov").children().stream().filter(b -> b.type().equals("trak")).findFirst().orElseThrow();
        ByteBuffer tkhd = trak.child("tkhd").payload();
        assertThat(tkhd.getInt(tkhd.limit() - 8) >>> 16).isEqualTo(636);
        assertThat(tkhd.getInt(tkhd.limit() - 4) >>> 16).isEqualTo(354);
        Boxes hvc1 = trak.child("mdia").child("minf").child("stbl").child("stsd").children().get(0);
        assertThat(hvc1.type()).isEqualTo("hvc1");
        ByteBuffer entry = hvc1.payload();
        assertThat(entry.getShort(24) & 0xFFFF).as("VisualSampleEntry width").isEqualTo(636);
        assertThat(entry.getShort(26) & 0xFFFF).as("VisualSampleEntry height").isEqualTo(354);
        Boxes hvcC = Boxes.parse(init, hvc1.offset() + 8 + 78, hvc1.offset() + hvc1.size()).get(0);
        assertThat(hvcC.type()).isEqualTo("hvcC");
        assertThat(hvcC.offset() + hvcC.size()).as("hvcC is the entry's only box").isEqualTo(hvc1.offset() + hvc1.size());
        assertThat(Arrays.copyOfRange(init, hvcC.offset() + 8, hvcC.offset() + hvcC.size())).isEqualTo(Fixtures.HEVC_RECORD);
    }

    @Test
    void audioOnlyInitHasOneTrack() {
        byte[] init = Fmp4Init.of(null, aac);
        List<Boxes> top = Boxes.parse(init, 0, init.length);
        assertThat(Boxes.find(top, "moov").children()).extracting(Boxes::type).containsExactly("mvhd", "trak", "mvex");
    }

    @Test
    void fragmentDataOffsetsPointAtEachTracksSamples() {
        List<Sample> video = List.of(new Sample(900_000, 3000, 6000, true, new byte[]{1, 2, 3}),
                new Sample(903_000, 3000, -3000, false, new byte[]{4, 5}));
        List<Sample> audio = List.of(new Sample(441_000, 1024, 0, true, new byte[]{9, 9, 9, 9}));
        byte[] frag = Fmp4Fragment.of(7, video, audio);
        List<Boxes> top = Boxes.parse(frag, 0, frag.length);
        assertThat(top).extracting(Boxes::type).containsExactly("moof", "mdat");
        Boxes moof = top.get(0);
        assertThat(moof.child("mfhd").payload().getInt(4)).isEqualTo(7);
        List<Boxes> trafs = moof.children().stream().filter(b -> b.type().equals("traf")).toList();
        assertThat(trafs).hasSize(2);

        ByteBuffer tfdt = trafs.get(0).child("tfdt").payload();
        assertThat(tfdt.get(0)).as("version 1: 64-bit decode time").isEqualTo((byte) 1);
        assertThat(tfdt.getLong(4)).isEqualTo(900_000);
        assertThat(trafs.get(0).child("tfhd").payload().getInt(0) & 0xFFFFFF).as("default-base-is-moof").isEqualTo(0x020000);

        ByteBuffer trun = trafs.get(0).child("trun").payload();
        assertThat(trun.getInt(4)).isEqualTo(2);
        int offset = trun.getInt(8);
        assertThat(Arrays.copyOfRange(frag, offset, offset + 5)).containsExactly(1, 2, 3, 4, 5);
        assertThat(trun.getInt(12)).as("duration").isEqualTo(3000);
        assertThat(trun.getInt(16)).as("size").isEqualTo(3);
        assertThat(trun.getInt(20)).as("sync sample flags").isEqualTo(Fmp4Fragment.FLAGS_SYNC);
        assertThat(trun.getInt(24)).as("composition offset").isEqualTo(6000);
        assertThat(trun.getInt(36)).isEqualTo(Fmp4Fragment.FLAGS_NON_SYNC);
        assertThat(trun.getInt(40)).as("negative offsets in trun version 1").isEqualTo(-3000);

        ByteBuffer audioTrun = trafs.get(1).child("trun").payload();
        int audioOffset = audioTrun.getInt(8);
        assertThat(Arrays.copyOfRange(frag, audioOffset, audioOffset + 4)).containsExactly(9, 9, 9, 9);
        assertThat(top.get(1).offset() + 8).isEqualTo(offset);
    }

    @Test
    void fragmentWithOnlyAudioHasOneTraf() {
        byte[] frag = Fmp4Fragment.of(1, List.of(), List.of(new Sample(0, 1024, 0, true, new byte[]{1})));
        List<Boxes> top = Boxes.parse(frag, 0, frag.length);
        assertThat(top.get(0).children()).extracting(Boxes::type).containsExactly("mfhd", "traf");
        assertThat(top.get(0).child("traf").child("tfhd").payload().getInt(4)).isEqualTo(Fmp4Init.AUDIO_TRACK);
    }
}
