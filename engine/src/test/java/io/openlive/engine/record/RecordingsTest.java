package io.openlive.engine.record;

import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.openlive.engine.hls.HlsConfig;
import io.openlive.engine.hls.HlsPlaylists;
import io.openlive.engine.hls.HlsSegment;
import io.openlive.engine.hls.HlsWindow;
import io.openlive.engine.hls.Segmenter;
import io.openlive.engine.stream.Publisher;
import io.openlive.engine.stream.Scheduler;
import io.openlive.engine.stream.StreamConfig;
import io.openlive.engine.stream.StreamHub;
import io.openlive.engine.stream.StreamListener;
import io.openlive.kernel.fmp4.Fmp4Init;
import io.openlive.kernel.fmp4.FragmentedIndex;
import io.openlive.protocol.hls.PlaylistWriter;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;

class RecordingsTest {
    private static final byte[] AVC_RECORD = HexFormat.of().parseHex(
            "0142c01fffe100176742c01fda014016ec0440000003004000000f03c60ca801000468ce0fc8");
    /** Timers never fire: the stream stays live until the test ends it. */
    private static final Scheduler NO_TIMERS = (delay, task) -> () -> { };

    @TempDir(factory = MemoryTempDir.class)
    Path dir;
    private final DefaultEventExecutor loop = new DefaultEventExecutor();
    /** Frames are published faster than real time: readers may lag a minute without skipping, so every frame is recorded. */
    private static final StreamConfig NO_SKIPPING = new StreamConfig(2048, 64L << 20, Duration.ofSeconds(60), Duration.ofSeconds(60),
            Duration.ofSeconds(10), Duration.ofSeconds(30), 64, Duration.ZERO, 0, Duration.ZERO);
    private final StreamHub hub = new StreamHub(NO_SKIPPING, NO_TIMERS, UnpooledByteBufAllocator.DEFAULT, StreamListener.NONE);
    /** Timers that run, on the test's loop: a publisher that drops has a grace period of 30 s, far past any wait here. */
    private StreamHub graceHub = timedHub(Duration.ofSeconds(30));
    /** A live HLS room cut at the recording's part target, so the same parts show in both. */
    private static final HlsConfig LIVE_HLS = HlsConfig.defaults().withPartTarget(Duration.ofMillis(500));

    private StreamHub timedHub(Duration grace) {
        return new StreamHub(NO_SKIPPING.withPublisherGrace(grace), (delay, task) -> {
            var timer = loop.schedule(task, delay, TimeUnit.MILLISECONDS);
            return () -> timer.cancel(false);
        }, UnpooledByteBufAllocator.DEFAULT, StreamListener.NONE);
    }

    @AfterEach
    void stop() throws Exception {
        hub.close();
        graceHub.close();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    private static byte[] concat(byte[] head, byte[] tail) {
        byte[] b = new byte[head.length + tail.length];
        System.arraycopy(head, 0, b, 0, head.length);
        System.arraycopy(tail, 0, b, head.length, tail.length);
        return b;
    }

    /** 30 fps video with a key frame each second, frames of {@code frameBytes}, for {@code ms}. */
    private static void publish(Publisher p, int ms, int frameBytes) {
        p.write(9, 0, Unpooled.wrappedBuffer(concat(new byte[]{0x17, 0, 0, 0, 0}, AVC_RECORD)));
        publishFrames(p, 0, ms * 30 / 1000, frameBytes);
    }

    /**
     * {@link #publish}, for a room whose recording has just been started: after the sequence header and the first key
     * frame it waits until the recorder's reader has taken them. A reader joins a live stream at its latest key frame
     * when it first drains; frames published faster than real time can otherwise pass a key frame or two before that
     * drain runs (a loaded machine), and the recording then starts a second or two into the show, parts short of it.
     */
    private void publishRecorded(String room, Publisher p, int ms, int frameBytes) throws InterruptedException {
        p.write(9, 0, Unpooled.wrappedBuffer(concat(new byte[]{0x17, 0, 0, 0, 0}, AVC_RECORD)));
        publishFrames(p, 0, 1, frameBytes);
        waitFor(() -> hub.stream(room).orElseThrow().stats().bytesOut.sum() > 0);
        publishFrames(p, 1, ms * 30 / 1000, frameBytes);
    }

    /** Frames {@code from} (inclusive) to {@code to} of 30 fps video, a key frame every 30th, each flushed. */
    private static void publishFrames(Publisher p, int from, int to, int frameBytes) {
        for (int f = from; f < to; f++) {
            boolean key = f % 30 == 0;
            byte[] body = new byte[9 + frameBytes];
            body[0] = (byte) (key ? 0x17 : 0x27);
            body[1] = 1;
            body[5] = (byte) (frameBytes + 1 >> 24);
            body[6] = (byte) (frameBytes + 1 >> 16);
            body[7] = (byte) (frameBytes + 1 >> 8);
            body[8] = (byte) (frameBytes + 1);
            body = concat(body, new byte[]{(byte) (key ? 0x65 : 0x41)});
            p.write(9, f * 1000 / 30, Unpooled.wrappedBuffer(body));
            p.flush();
        }
    }

    @Test
    void aRoomOverItsDiskCapStopsRecordingWithAStatusAndTheShowGoesOn() throws Exception {
        Recordings recordings = new Recordings(hub, RecordingConfig.in(dir).withCaps(200_000, 1 << 30), () -> loop);
        Publisher p = hub.publish("r1", "test");
        assertThat(recordings.start("r1")).isPresent();
        publish(p, 6000, 5_000); // about 1 MB: five times the cap
        waitFor(() -> !recordings.list("r1").isEmpty() && recordings.list("r1").get(0).status().equals("stopped"));
        Recording r = recordings.list("r1").get(0);
        assertThat(r.reason()).isEqualTo("disk cap reached");
        assertThat(r.bytes()).isLessThanOrEqualTo(200_000);
        assertThat(hub.stream("r1").orElseThrow().isLive()).as("the show goes on").isTrue();
        recordings.stop("r1");
        waitFor(() -> !recordings.isRecording("r1"));
        assertThat(recordings.list("r1")).hasSize(1);
        assertThat(recordings.list("r1").get(0).status()).as("what was written is finalised").isEqualTo("done");
        assertThat(Files.size(recordings.file("r1", r.id()).orElseThrow())).isLessThanOrEqualTo(210_000);
    }

    /**
     * A full disk, not a cap: the recordings live on an in-memory file system of 400 kB (Jimfs), whose writes past that
     * fail with a real IOException ("out of disk space"), as a full ext4 answers ENOSPC. The recording stops with a status
     * and a reason naming the disk, the live stream keeps reaching its viewer, and the show's end finalises nothing and
     * crashes nothing: what was written stays as the fragmented file, no half-written copy is left behind.
     */
    @Test
    void aFullDiskStopsTheRecordingWithAStatusWhileTheLiveShowGoesOn() throws Exception {
        try (java.nio.file.FileSystem small = com.google.common.jimfs.Jimfs.newFileSystem(
                com.google.common.jimfs.Configuration.unix().toBuilder().setMaxSize(400_000).build())) {
            Path disk = small.getPath("/recordings");
            Recordings recordings = new Recordings(hub, RecordingConfig.in(disk), () -> loop);
            Publisher p = hub.publish("full", "test");
            String id = recordings.start("full").orElseThrow().id();
            Segmenter viewer = new Segmenter("full", LIVE_HLS, loop);
            viewer.attach(hub.play("full", viewer));
            publishRecorded("full", p, 6000, 5_000); // about 900 kB: the disk fills half-way
            waitFor(() -> recordings.list("full").get(0).status().equals("stopped"));
            Recording r = recordings.list("full").get(0);
            assertThat(r.reason()).startsWith("disk: ");
            assertThat(r.bytes()).isBetween(100_000L, 400_000L);
            assertThat(recordings.isRecording("full")).as("stopped, not ended: the show is live").isTrue();

            assertThat(hub.stream("full").orElseThrow().isLive()).as("the show goes on").isTrue();
            waitFor(() -> viewer.window() != null && viewer.window().nextMsn() >= 2);
            long before = viewer.window().nextMsn();
            publishFrames(p, 180, 270, 5_000); // three more seconds, after the recording stopped
            waitFor(() -> viewer.window().nextMsn() > before);
            assertThat(recordings.list("full").get(0).bytes()).as("nothing more written").isEqualTo(r.bytes());

            viewer.stop();
            recordings.stop("full");
            waitFor(() -> !recordings.isRecording("full"));
            try (java.util.stream.Stream<Path> files = Files.list(disk.resolve("full"))) {
                assertThat(files.map(f -> f.getFileName().toString()).toList())
                        .as("the disk is still full: the fragmented file stays, no .tmp").containsExactly(id + ".fmp4");
            }
            assertThat(recordings.list("full")).singleElement().satisfies(x -> assertThat(x.status()).isEqualTo("interrupted"));
            try (FileChannel in = FileChannel.open(disk.resolve("full").resolve(id + ".fmp4"))) {
                assertThat(FragmentedIndex.read(in).runs()).as("what was written reads as fragments").isNotEmpty();
            }
        }
    }

    @Test
    void theOldestFinishedRecordingIsPrunedToMakeRoom() throws Exception {
        Recordings recordings = new Recordings(hub, RecordingConfig.in(dir).withCaps(1_000_000, 1 << 30), () -> loop);
        current = recordings;
        for (int show = 0; show < 3; show++) {
            Publisher p = hub.publish("r2", "test");
            String id = recordings.start("r2").orElseThrow().id();
            publishRecorded("r2", p, 3000, 5_000);
            waitFor(() -> videoSamplesOnDisk("r2", id) >= COMPLETE_PARTS_OF_3_S * 15); // stopping then adds the last part
            recordings.stop("r2");
            waitFor(() -> !recordings.isRecording("r2"));
            p.close();
            hub.close(); // end the show; the next publish starts a new stream
        }
        assertThat(recordings.list("r2")).allMatch(r -> r.status().equals("done"));
        long used = 0;
        for (Recording r : recordings.list("r2")) {
            used += r.bytes();
        }
        assertThat(used).isLessThanOrEqualTo(1_000_000);
        assertThat(recordings.list("r2").size()).as("one of three ~450 kB shows was pruned").isEqualTo(2);
    }

    /**
     * The total cap prunes across rooms: each room is far under its own cap, but three ~450 kB shows do not fit a total
     * of 1 MB, so the oldest finished one goes, whichever room it belongs to (here the first room's only recording).
     */
    @Test
    void theTotalCapPrunesTheOldestFinishedRecordingOfAnyRoom() throws Exception {
        Recordings recordings = new Recordings(hub, RecordingConfig.in(dir).withCaps(100_000_000, 1_000_000), () -> loop);
        current = recordings;
        String[] rooms = {"first", "second", "second"};
        String firstId = null;
        for (String room : rooms) {
            Publisher p = hub.publish(room, "test");
            String id = recordings.start(room).orElseThrow().id();
            firstId = firstId == null ? id : firstId;
            publishRecorded(room, p, 3000, 5_000);
            waitFor(() -> videoSamplesOnDisk(room, id) >= COMPLETE_PARTS_OF_3_S * 15);
            recordings.stop(room);
            waitFor(() -> !recordings.isRecording(room));
            p.close();
            hub.close();
        }
        assertThat(recordings.list("second")).hasSize(2).allMatch(r -> r.status().equals("done"));
        assertThat(recordings.list("first")).as("the oldest of all, in the other room, was pruned").isEmpty();
        assertThat(recordings.file("first", firstId)).isEmpty();
        long used = recordings.list("second").stream().mapToLong(Recording::bytes).sum();
        assertThat(used).isLessThanOrEqualTo(1_000_000);
    }

    /** Parts of 3 s of 30 fps video cut at 500 ms: five of 15 frames are complete, the sixth waits for the next frame. */
    private static final int COMPLETE_PARTS_OF_3_S = 5;

    @Test
    void everyCompletedPartIsOnDiskWithoutWaitingForMoreFrames() throws Exception {
        Recordings recordings = new Recordings(hub, RecordingConfig.in(dir), () -> loop);
        current = recordings;
        for (int round = 0; round < 5; round++) { // a lost hand-off to the disk thread would show in one of them
            String room = "quiet" + round;
            Publisher p = hub.publish(room, "test");
            String id = recordings.start(room).orElseThrow().id();
            publishRecorded(room, p, 3000, 5_000);
            // the publisher sends nothing more and stays connected: only the part in flight may be missing on disk
            waitFor(Duration.ofSeconds(10), () -> videoSamplesOnDisk(room, id) >= COMPLETE_PARTS_OF_3_S * 15);
            assertThat(videoSamplesOnDisk(room, id)).as("the sixth part is in flight until a frame past it comes")
                    .isEqualTo(COMPLETE_PARTS_OF_3_S * 15);
            recordings.stop(room);
            waitFor(() -> !recordings.isRecording(room));
            assertThat(recordings.list(room).get(0).status()).isEqualTo("done");
            p.close();
        }
    }

    /**
     * Starts the room's live HLS segmenter next to its recording, and publishes the sequence header and first key frame
     * so that both readers have joined before the frames that follow (see {@link #publishRecorded}).
     */
    private Segmenter joinRecordedAndLive(String room, Publisher p, int frameBytes) throws InterruptedException {
        LongAdder out = graceHub.stream(room).orElseThrow().stats().bytesOut;
        p.write(9, 0, Unpooled.wrappedBuffer(concat(new byte[]{0x17, 0, 0, 0, 0}, AVC_RECORD)));
        publishFrames(p, 0, 1, frameBytes);
        waitFor(() -> out.sum() > 0);
        long recorded = out.sum();
        Segmenter live = new Segmenter(room, LIVE_HLS, loop);
        live.attach(graceHub.play(room, live));
        waitFor(() -> out.sum() > recorded);
        return live;
    }

    /** 1.3 s at 30 fps, cut at 500 ms: two complete parts of 15 frames and a third of 9 in flight. */
    private static final int FRAMES_OF_1300_MS = 39;

    @Test
    void aDroppedPublishersLastFramesAreOnDiskAndInThePlaylistLongBeforeTheGraceEnds() throws Exception {
        Recordings recordings = new Recordings(graceHub, RecordingConfig.in(dir), () -> loop);
        current = recordings;
        Publisher p = graceHub.publish("dropped", "test");
        String id = recordings.start("dropped").orElseThrow().id();
        Segmenter live = joinRecordedAndLive("dropped", p, 5_000);
        publishFrames(p, 1, FRAMES_OF_1300_MS, 5_000);
        waitFor(() -> videoSamplesOnDisk("dropped", id) >= 30); // the complete parts, however loaded the machine
        p.close(); // the publisher's connection drops; the room waits 30 s for it
        // the part in flight is cut at the drop: written and synced now, not when the publisher returns or the grace ends
        waitFor(Duration.ofSeconds(2), () -> videoSamplesOnDisk("dropped", id) == FRAMES_OF_1300_MS);
        waitFor(Duration.ofSeconds(2), () -> live.window() != null && live.window().segments().size() == 1);
        HlsWindow w = live.window();
        HlsSegment cut = w.segments().get(0);
        assertThat(cut.parts()).hasSize(3);
        assertThat(cut.parts()).allMatch(part -> part.duration() <= 0.5 + 1e-9);
        assertThat(cut.duration()).as("every frame published, the last one included").isCloseTo(1.3, Offset.offset(0.04));
        String playlist = PlaylistWriter.write(HlsPlaylists.fmp4("dropped", w, LIVE_HLS), false);
        assertThat(playlist).contains("/s0.2.m4s\"").containsPattern("#EXTINF:1\\.(29\\d|30?),").doesNotContain("#EXT-X-ENDLIST");
        assertThat(graceHub.stream("dropped").orElseThrow().isLive()).as("still within the grace period").isTrue();
        live.stop();
        recordings.stop("dropped");
        waitFor(() -> !recordings.isRecording("dropped"));
        assertThat(recordings.list("dropped").get(0).status()).isEqualTo("done");
        assertThat(packets(recordings.file("dropped", id).orElseThrow())).as("the cut part is not written twice")
                .isEqualTo(FRAMES_OF_1300_MS);
    }

    @Test
    void aPublisherThatReturnsAfterTheCutContinuesAValidPlaylistAndRecording() throws Exception {
        Recordings recordings = new Recordings(graceHub, RecordingConfig.in(dir), () -> loop);
        current = recordings;
        Publisher first = graceHub.publish("back", "test");
        String id = recordings.start("back").orElseThrow().id();
        Segmenter live = joinRecordedAndLive("back", first, 5_000);
        publishFrames(first, 1, FRAMES_OF_1300_MS, 5_000);
        first.close();
        waitFor(Duration.ofSeconds(60), () -> videoSamplesOnDisk("back", id) >= 30);
        waitFor(Duration.ofSeconds(2), () -> videoSamplesOnDisk("back", id) == FRAMES_OF_1300_MS);
        Publisher second = graceHub.publish("back", "test"); // the encoder restarts: its clock starts at 0 again
        second.write(9, 0, Unpooled.wrappedBuffer(concat(new byte[]{0x17, 0, 0, 0, 0}, AVC_RECORD)));
        publishFrames(second, 0, 75, 5_000); // 2.5 s
        waitFor(() -> videoSamplesOnDisk("back", id) >= FRAMES_OF_1300_MS + 60); // all but the part in flight
        live.stop();
        recordings.stop("back");
        waitFor(() -> live.window().ended() && !recordings.isRecording("back"));

        HlsWindow w = live.window();
        assertThat(w.segments()).extracting(HlsSegment::msn).as("consecutive, none repeated").containsExactly(0L, 1L, 2L);
        assertThat(w.segments()).extracting(HlsSegment::discontinuity).containsExactly(false, true, false);
        assertThat(w.segments().get(0).duration()).as("the cut segment, short").isCloseTo(1.3, Offset.offset(0.04));
        for (HlsSegment s : w.segments()) {
            assertThat(s.duration()).isLessThanOrEqualTo(w.targetDuration());
            assertThat(s.parts()).allMatch(part -> part.duration() <= 0.5 + 1e-9);
            assertThat(s.parts().get(0).independent()).isTrue();
        }
        String playlist = PlaylistWriter.write(HlsPlaylists.fmp4("back", w, LIVE_HLS), false);
        assertThat(playlist.split("#EXT-X-DISCONTINUITY\n", -1)).hasSize(2);
        assertThat(playlist.lines().filter(l -> l.startsWith("#EXT-X-PART:")).map(l -> l.replaceAll(".*URI=", ""))
                .distinct().count()).isEqualTo(playlist.lines().filter(l -> l.startsWith("#EXT-X-PART:")).count());
        assertThat(recordings.list("back").get(0).status()).isEqualTo("done");
        assertThat(packets(recordings.file("back", id).orElseThrow())).as("both sessions, every frame once")
                .isEqualTo(FRAMES_OF_1300_MS + 75);
    }

    @Test
    void aDropThenTheGraceRunningOutFinalisesTheRecordingWithEveryFrameOnce() throws Exception {
        graceHub.close();
        graceHub = timedHub(Duration.ofMillis(300));
        Recordings recordings = new Recordings(graceHub, RecordingConfig.in(dir), () -> loop);
        current = recordings;
        Publisher p = graceHub.publish("gone", "test");
        String id = recordings.start("gone").orElseThrow().id();
        Segmenter live = joinRecordedAndLive("gone", p, 5_000);
        publishFrames(p, 1, FRAMES_OF_1300_MS, 5_000);
        p.close(); // and never comes back: the stream ends after 300 ms, which ends the recording
        waitFor(() -> !recordings.isRecording("gone") && live.window() != null && live.window().ended());
        assertThat(recordings.list("gone").get(0).status()).isEqualTo("done");
        assertThat(packets(recordings.file("gone", id).orElseThrow())).isEqualTo(FRAMES_OF_1300_MS);
        HlsWindow w = live.window();
        assertThat(w.segments()).extracting(HlsSegment::msn).as("the end adds no segment after the cut").containsExactly(0L);
        assertThat(PlaylistWriter.write(HlsPlaylists.fmp4("gone", w, LIVE_HLS), false)).endsWith("#EXT-X-ENDLIST\n");
    }

    /** Video packets ffprobe reads from a finished recording. */
    private static int packets(Path mp4) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ffprobe", "-v", "error", "-select_streams", "v:0", "-count_packets",
                "-show_entries", "stream=nb_read_packets", "-of", "csv=p=0", mp4.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("ffprobe finishes").isTrue();
        assertThat(p.exitValue()).as("ffprobe reads %s", mp4).isZero();
        return Integer.parseInt(out);
    }

    /** Video samples in the complete fragments of a recording's fragmented file; 0 before it exists. */
    private int videoSamplesOnDisk(String room, String id) {
        Path f = dir.resolve(room).resolve(id + ".fmp4");
        try (FileChannel in = FileChannel.open(f)) {
            return FragmentedIndex.read(in).runs().stream().filter(r -> r.trackId() == Fmp4Init.VIDEO_TRACK)
                    .mapToInt(r -> r.samples().size()).sum();
        } catch (NoSuchFileException e) {
            return 0;
        } catch (io.openlive.kernel.fmp4.Fmp4Exception e) {
            return 0; // created, its init segment not written yet: the recorder opens the file, then writes
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the folder holds, for a failure message that says where a recording stopped. */
    private String listing() {
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(f -> dir.relativize(f) + "=" + f.toFile().length()).toList().toString();
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    @Test
    void unknownIdsAndNamesFindNothing() throws Exception {
        Recordings recordings = new Recordings(hub, RecordingConfig.in(dir), () -> loop);
        assertThat(recordings.start("r3")).as("not live").isEmpty();
        assertThat(recordings.file("r3", "rec_x")).isEmpty();
        assertThat(recordings.file("../etc", "rec_x")).isEmpty();
        assertThat(recordings.file("r3", "../../passwd")).isEmpty();
        assertThat(recordings.delete("r3", "rec_nosuch")).isFalse();
        assertThat(recordings.list("r3/..")).isEmpty();
    }

    private Recordings current;

    /** What {@link #current} lists for every room with a folder. */
    private String listed() {
        try (java.util.stream.Stream<Path> rooms = Files.list(dir)) {
            return rooms.map(r -> current.list(r.getFileName().toString()).toString()).toList().toString();
        } catch (IOException e) {
            return e.toString();
        }
    }
    private void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        waitFor(Duration.ofSeconds(60), condition);
    }

    private void waitFor(Duration within, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out; recordings on disk: " + listing()
                        + (current == null ? "" : "; listed: " + listed()));
            }
            Thread.sleep(20);
        }
    }
}
