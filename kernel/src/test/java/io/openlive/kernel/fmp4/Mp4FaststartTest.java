package io.openlive.kernel.fmp4;

import io.openlive.kernel.codec.AacConfig;
import io.openlive.kernel.codec.AvcConfig;
import io.openlive.kernel.codec.Fixtures;
import io.openlive.kernel.codec.Sample;
import io.openlive.kernel.codec.VideoConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Mp4FaststartTest {
    @TempDir
    Path dir;

    /** Init, then {@code fragments} fragments of 10 video samples (one key frame) and 14 audio samples. */
    static byte[] recording(int fragments) {
        return recording(fragments, AvcConfig.parse(Fixtures.AVC_RECORD));
    }

    /** {@link #recording(int)} with another video configuration. */
    static byte[] recording(int fragments, VideoConfig videoConfig) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(Fmp4Init.of(videoConfig, AacConfig.parse(Fixtures.AAC_LC_44100_STEREO)));
        for (int f = 0; f < fragments; f++) {
            List<Sample> video = new ArrayList<>();
            List<Sample> audio = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                byte[] data = new byte[50 + i];
                Arrays.fill(data, (byte) (f * 16 + i));
                video.add(new Sample(90_000L + (f * 10L + i) * 3000, 3000, i == 3 ? 6000 : 0, i == 0, data));
            }
            for (int i = 0; i < 14; i++) {
                byte[] data = new byte[20];
                Arrays.fill(data, (byte) (100 + i));
                audio.add(new Sample(44_100L + 441 + (f * 14L + i) * 1024, 1024, 0, true, data));
            }
            out.writeBytes(Fmp4Fragment.of(f + 1, video, audio));
        }
        return out.toByteArray();
    }

    private FragmentedIndex index(byte[] file) throws Exception {
        Path p = dir.resolve("in-" + file.length + ".mp4");
        Files.write(p, file);
        try (FileChannel in = FileChannel.open(p)) {
            return FragmentedIndex.read(in);
        }
    }

    @Test
    void indexListsEveryRunOfEveryFragment() throws Exception {
        byte[] file = recording(3);
        FragmentedIndex idx = index(file);
        assertThat(idx.runs()).hasSize(6);
        assertThat(idx.runs()).extracting(FragmentedIndex.Run::trackId).containsExactly(1, 2, 1, 2, 1, 2);
        FragmentedIndex.SampleRef first = idx.runs().get(2).samples().get(0);
        assertThat(file[(int) first.offset()]).isEqualTo((byte) 16);
        assertThat(first.sync()).isTrue();
        assertThat(idx.runs().get(2).samples().get(1).sync()).isFalse();
        assertThat(idx.runs().get(2).baseDecodeTime()).isEqualTo(90_000 + 30_000);
        assertThat(idx.completeLength()).isEqualTo(file.length);
    }

    @Test
    void aFileCutAnywhereInItsLastFragmentIndexesTheFragmentsBefore() throws Exception {
        byte[] two = recording(2);
        byte[] three = recording(3);
        for (int cut = two.length; cut < three.length; cut += 7) {
            FragmentedIndex idx = index(Arrays.copyOf(three, cut));
            assertThat(idx.runs()).as("cut at " + cut).hasSize(4);
            assertThat(idx.completeLength()).isEqualTo(two.length);
        }
    }

    @Test
    void faststartPutsTheIndexFirstAndKeepsEverySampleInPlace() throws Exception {
        byte[] file = recording(3);
        Path in = dir.resolve("rec.mp4");
        Files.write(in, file);
        Path outPath = dir.resolve("final.mp4");
        long length;
        try (FileChannel src = FileChannel.open(in); FileChannel out = FileChannel.open(outPath, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            length = Mp4Faststart.write(FragmentedIndex.read(src), src, out);
        }
        byte[] result = Files.readAllBytes(outPath);
        assertThat(result.length).isEqualTo(length);
        List<Boxes> top = Boxes.parse(result, 0, indexOfMdat(result));
        assertThat(top).extracting(Boxes::type).containsExactly("ftyp", "moov");
        List<Boxes> traks = Boxes.find(top, "moov").children().stream().filter(b -> b.type().equals("trak")).toList();
        assertThat(traks).hasSize(2);
        Boxes videoStbl = traks.get(0).child("mdia").child("minf").child("stbl");
        assertThat(videoStbl.children()).extracting(Boxes::type).containsExactly("stsd", "stts", "ctts", "stss", "stsc", "stsz", "co64");
        ByteBuffer stsz = videoStbl.child("stsz").payload();
        assertThat(stsz.getInt(8)).isEqualTo(30);
        ByteBuffer co64 = videoStbl.child("co64").payload();
        assertThat(co64.getInt(4)).isEqualTo(3);
        long chunk2 = co64.getLong(8 + 8);
        assertThat(result[(int) chunk2]).as("the second chunk starts with the second fragment's first sample").isEqualTo((byte) 16);
        ByteBuffer stss = videoStbl.child("stss").payload();
        assertThat(stss.getInt(4)).isEqualTo(3);
        assertThat(stss.getInt(8)).isEqualTo(1);
        assertThat(stss.getInt(12)).isEqualTo(11);
        ByteBuffer mdhd = traks.get(0).child("mdia").child("mdhd").payload();
        assertThat(mdhd.getInt(16)).as("media duration").isEqualTo(30 * 3000);
        Boxes audioTrak = traks.get(1);
        assertThat(audioTrak.children()).extracting(Boxes::type).contains("edts");
        ByteBuffer elst = audioTrak.child("edts").child("elst").payload();
        assertThat(elst.getInt(8)).as("audio starts 10 ms after video: an empty edit of 10 ms").isEqualTo(10);
        assertThat(elst.getInt(12)).isEqualTo(-1);
        ByteBuffer audioCo64 = audioTrak.child("mdia").child("minf").child("stbl").child("co64").payload();
        assertThat(result[(int) audioCo64.getLong(8)]).isEqualTo((byte) 100);
        ByteBuffer mvhd = Boxes.find(top, "moov/mvhd").payload();
        assertThat(mvhd.getInt(16)).as("movie duration in ms").isEqualTo(1000);
    }

    private static int indexOfMdat(byte[] b) {
        for (int i = 4; i + 4 <= b.length; i++) {
            if (b[i] == 'm' && b[i + 1] == 'd' && b[i + 2] == 'a' && b[i + 3] == 't') {
                return i - 4;
            }
        }
        return b.length;
    }

    @Test
    void somethingElseIsADeclaredFailure() {
        assertThatThrownBy(() -> index(new byte[]{0, 0, 0, 8, 'f', 'r', 'e', 'e'})).isInstanceOf(Fmp4Exception.class);
        byte[] file = recording(1);
        byte[] broken = file.clone();
        int moof = Fmp4Init.of(AvcConfig.parse(Fixtures.AVC_RECORD), AacConfig.parse(Fixtures.AAC_LC_44100_STEREO)).length;
        broken[moof + 3] = 9; // moof size too small for its children
        assertThatThrownBy(() -> index(broken)).isInstanceOf(Fmp4Exception.class);
    }
}
