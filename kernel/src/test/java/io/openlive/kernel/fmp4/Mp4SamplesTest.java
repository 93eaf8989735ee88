package io.openlive.kernel.fmp4;

import io.openlive.kernel.codec.Fixtures;
import io.openlive.kernel.codec.HevcConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Mp4SamplesTest {
    @TempDir
    Path dir;

    @Test
    void readsBackWhatFaststartWrote() throws Exception {
        Path in = dir.resolve("rec.fmp4");
        Files.write(in, Mp4FaststartTest.recording(3));
        Path out = dir.resolve("rec.mp4");
        try (FileChannel src = FileChannel.open(in); FileChannel dst = FileChannel.open(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            Mp4Faststart.write(FragmentedIndex.read(src), src, dst);
        }
        byte[] file = Files.readAllBytes(out);
        Mp4Samples m;
        try (FileChannel c = FileChannel.open(out)) {
            m = Mp4Samples.read(c);
        }
        assertThat(m.video().video().width()).isEqualTo(1280);
        assertThat(m.audio().aac().sampleRate()).isEqualTo(44100);
        assertThat(m.video().samples()).hasSize(30);
        assertThat(m.audio().samples()).hasSize(42);
        Mp4Samples.Ref eleventh = m.video().samples().get(10);
        assertThat(eleventh.sync()).isTrue();
        assertThat(m.video().samples().get(11).sync()).isFalse();
        assertThat(eleventh.decodeTime()).isEqualTo(30_000);
        assertThat(m.video().samples().get(3).compositionOffset()).isEqualTo(6000);
        assertThat(file[(int) eleventh.offset()]).isEqualTo((byte) 16);
        assertThat(eleventh.size()).isEqualTo(50);
        assertThat(m.audio().samples().get(0).decodeTime()).as("the audio's 10 ms empty edit").isEqualTo(441);
        assertThat(file[(int) m.audio().samples().get(1).offset()]).isEqualTo((byte) 101);
        try (FileChannel c = FileChannel.open(out)) {
            assertThat(Mp4Samples.movieSeconds(c)).as("mvhd: 30 frames of 1/30 s, the longest track").isEqualTo(1.0);
        }
    }

    @Test
    void hevcRecordingReadsBackWithItsHvcCRecord() throws Exception {
        Path in = dir.resolve("hevc.fmp4");
        Files.write(in, Mp4FaststartTest.recording(2, HevcConfig.parse(Fixtures.HEVC_RECORD)));
        Path out = dir.resolve("hevc.mp4");
        try (FileChannel src = FileChannel.open(in); FileChannel dst = FileChannel.open(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            Mp4Faststart.write(FragmentedIndex.read(src), src, dst);
        }
        Mp4Samples m;
        try (FileChannel c = FileChannel.open(out)) {
            m = Mp4Samples.read(c);
        }
        assertThat(m.video().video()).isInstanceOf(HevcConfig.class);
        assertThat(m.video().video().record()).isEqualTo(Fixtures.HEVC_RECORD);
        assertThat(m.video().video().width()).isEqualTo(636);
        assertThat(m.video().samples()).hasSize(20);
    }

    @Test
    void aFragmentedFileIsNotAProgressiveOne() throws Exception {
        Path in = dir.resolve("rec.fmp4");
        Files.write(in, Mp4FaststartTest.recording(1));
        try (FileChannel c = FileChannel.open(in)) {
            assertThatThrownBy(() -> Mp4Samples.read(c)).isInstanceOf(Fmp4Exception.class);
            assertThat(Mp4Samples.movieSeconds(c)).as("a fragmented file's moov says nothing of its length").isZero();
        }
        Files.write(in, new byte[]{0, 0, 0, 8, 'f', 'r', 'e', 'e'});
        try (FileChannel c = FileChannel.open(in)) {
            assertThatThrownBy(() -> Mp4Samples.movieSeconds(c)).isInstanceOf(Fmp4Exception.class).hasMessage("no moov");
        }
    }
}
