package io.openlive.engine.record;

import io.netty.util.concurrent.EventExecutor;
import io.openlive.engine.hls.HlsConfig;
import io.openlive.engine.hls.Segmenter;
import io.openlive.engine.stream.LiveStream;
import io.openlive.engine.stream.StreamHub;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The recordings of this node: starts a {@link Recorder} for a live room (fed by its own segmenter with 500 ms parts,
 * the most a crash can lose; like any viewer it begins at the latest key frame when its reader first drains), lists,
 * finds and deletes recordings on disk, enforces the disk caps by pruning the oldest finished recordings (never one
 * being written), and at start finalises what a crash left as fragmented files. Usage:
 * {@code recordings.start("r1"); … recordings.list("r1");}
 */
public final class Recordings {
    private static final Logger log = LoggerFactory.getLogger(Recordings.class);
    private static final Pattern ID = Pattern.compile("rec_[0-9a-z]{1,40}");
    private static final Pattern ROOM = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** Parts of a recording: what a kill -9 can lose at most. */
    static final HlsConfig CUTS = HlsConfig.defaults().withTargetDuration(Duration.ofSeconds(2))
            .withPartTarget(Duration.ofMillis(500)).withWindowSegments(3).withMaxWaiters(1);

    private final StreamHub hub;
    private final RecordingConfig config;
    private final Supplier<EventExecutor> executors;
    private final ConcurrentHashMap<String, Active> active = new ConcurrentHashMap<>();

    private record Active(Recorder recorder, Segmenter segmenter) {
    }

    public Recordings(StreamHub hub, RecordingConfig config, Supplier<EventExecutor> executors) {
        this.hub = hub;
        this.config = config;
        this.executors = executors;
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    /** Random characters in a new id: 12 gave about 62 bits, short of the 64 usually asked of a capability URL. */
    static final int RANDOM_CHARS = 16;

    /**
     * Lower-case letters and digits, about 5.2 bits each: with {@link #RANDOM_CHARS} a recording id holds some 83 random
     * bits besides its time, so one cannot be guessed (the replay routes serve a finished recording to whoever names it).
     */
    private static String random(int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(Character.forDigit(RANDOM.nextInt(36), 36));
        }
        return b.toString();
    }

    /** Finalises the fragmented files a crash left behind; call once at start, off the event loops. */
    public void recover() {
        for (Path f : files(".fmp4")) {
            Path mp4 = f.resolveSibling(f.getFileName().toString().replace(".fmp4", ".mp4"));
            try {
                Recorder.finalise(f, mp4);
                log.info("[record {}] finalised after an interrupted run", f.getFileName());
            } catch (IOException | RuntimeException e) {
                log.warn("[record {}] left as it is, not finalised: {}", f.getFileName(), e.getMessage());
            }
        }
    }

    /** Starts recording a live room; empty when it is not live, the current one when it already records. */
    public Optional<Recording> start(String roomId) {
        if (!hub.stream(roomId).map(LiveStream::isLive).orElse(false) || !ROOM.matcher(roomId).matches()) {
            return Optional.empty();
        }
        Active[] created = new Active[1];
        Active a = active.computeIfAbsent(roomId, id -> {
            String recId = "rec_" + Long.toString(System.currentTimeMillis(), 36) + random(RANDOM_CHARS);
            Active[] self = new Active[1];
            Recorder r = new Recorder(recId, id, config.dir().resolve(id), this::reserve, () -> active.remove(id, self[0]));
            Segmenter s = new Segmenter(id, CUTS, executors.get()).listen(r);
            self[0] = new Active(r, s);
            created[0] = self[0];
            return self[0];
        });
        if (created[0] != null) {
            a.segmenter().attach(hub.play(roomId, a.segmenter()));
            log.info("[record room={} id={}] started", roomId, a.recorder().view().id());
        }
        return Optional.of(a.recorder().view());
    }

    /** Stops the room's recording; it is finalised in the background. Empty when none runs. */
    public Optional<Recording> stop(String roomId) {
        Active a = active.get(roomId);
        if (a == null) {
            return Optional.empty();
        }
        a.segmenter().stop();
        return Optional.of(a.recorder().view());
    }

    /** Recordings being written now. */
    public int activeCount() {
        return active.size();
    }

    public boolean isRecording(String roomId) {
        return active.containsKey(roomId);
    }

    /** The room's recordings, newest first: the one being written, then those on disk. */
    public List<Recording> list(String roomId) {
        List<Recording> out = new ArrayList<>();
        if (!ROOM.matcher(roomId).matches()) {
            return out;
        }
        Active a = active.get(roomId);
        if (a != null) {
            out.add(a.recorder().view());
        }
        for (Path f : files(config.dir().resolve(roomId))) {
            String id = id(f);
            if (a == null || !a.recorder().view().id().equals(id)) {
                out.add(onDisk(roomId, f));
            }
        }
        out.sort(Comparator.comparing(Recording::startedAt).reversed());
        return out;
    }

    /**
     * The room's finished recordings, the ones replayed as VOD HLS, newest first, at most {@code max}: faststart MP4s on
     * disk, not the one being written (a recording stopped by a cap is finished once the show ends).
     */
    public List<Recording> finished(String roomId, int max) {
        // the one being written is listed as its recorder sees it, without a duration
        return list(roomId).stream().filter(r -> r.status().equals("done") && r.duration() != null).limit(max).toList();
    }

    /** A recording of the room by id, if it exists. */
    public Optional<Recording> find(String roomId, String id) {
        return list(roomId).stream().filter(r -> r.id().equals(id)).findFirst();
    }

    /** The finished MP4 of a recording, or the fragmented file of an interrupted one; empty for unknown ids. */
    public Optional<Path> file(String roomId, String id) {
        if (!ROOM.matcher(roomId).matches() || !ID.matcher(id).matches()) {
            return Optional.empty();
        }
        Path dir = config.dir().resolve(roomId);
        for (String ext : new String[]{".mp4", ".fmp4"}) {
            Path f = dir.resolve(id + ext);
            if (Files.isRegularFile(f)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** Deletes a finished recording; false when unknown or still being written. */
    public boolean delete(String roomId, String id) throws IOException {
        Active a = active.get(roomId);
        if (a != null && a.recorder().view().id().equals(id)) {
            return false;
        }
        Optional<Path> f = file(roomId, id);
        if (f.isEmpty()) {
            return false;
        }
        Files.delete(f.get());
        return true;
    }

    /** Stops every recording (server shutdown): each is finalised. */
    public void close() {
        for (String roomId : List.copyOf(active.keySet())) {
            stop(roomId);
        }
    }

    /** Disk cap check before a write: prunes the oldest finished recordings (the room's, then anyone's) to make room. */
    private synchronized boolean reserve(String roomId, long bytes) {
        if (!prune(config.dir().resolve(roomId), config.maxBytesPerRoom(), bytes)) {
            return false;
        }
        return prune(config.dir(), config.maxBytesTotal(), bytes);
    }

    private boolean prune(Path under, long cap, long adding) {
        List<Path> all = new ArrayList<>(files(under));
        long used = all.stream().mapToLong(Recordings::size).sum();
        all.removeIf(f -> !f.getFileName().toString().endsWith(".mp4"));
        all.sort(Comparator.comparing(Recordings::modified));
        while (used + adding > cap && !all.isEmpty()) {
            Path oldest = all.remove(0);
            long s = size(oldest);
            try {
                Files.deleteIfExists(oldest);
                used -= s;
                log.info("[record {}] pruned: disk cap of {} bytes", oldest.getFileName(), cap);
            } catch (IOException e) {
                log.warn("[record {}] not pruned: {}", oldest.getFileName(), e.getMessage());
            }
        }
        return used + adding <= cap;
    }

    private List<Path> files(String extension) {
        return files(config.dir()).stream().filter(f -> f.getFileName().toString().endsWith(extension)).toList();
    }

    /** Recording files (.mp4, .fmp4) under a directory, at any depth up to a room folder. */
    private static List<Path> files(Path under) {
        if (!Files.isDirectory(under)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(under, 2)) {
            return s.filter(Files::isRegularFile).filter(f -> ID.matcher(id(f)).matches()
                    && (f.toString().endsWith(".mp4") || f.toString().endsWith(".fmp4"))).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String id(Path f) {
        String n = f.getFileName().toString();
        int dot = n.indexOf('.');
        return dot < 0 ? n : n.substring(0, dot);
    }

    private static Recording onDisk(String roomId, Path f) {
        boolean done = f.toString().endsWith(".mp4");
        Instant modified = modified(f);
        Instant started;
        try {
            started = Instant.ofEpochMilli(Long.parseLong(id(f).substring(4, Math.min(id(f).length(), 12)), 36));
        } catch (NumberFormatException e) {
            started = modified;
        }
        return new Recording(id(f), roomId, started, modified, size(f), done ? "done" : "interrupted", null,
                done ? seconds(f) : null);
    }

    /** A finished recording's length from its movie header; null when it cannot be read. */
    private static Double seconds(Path mp4) {
        try (java.nio.channels.FileChannel in = java.nio.channels.FileChannel.open(mp4, java.nio.file.StandardOpenOption.READ)) {
            return Math.round(io.openlive.kernel.fmp4.Mp4Samples.movieSeconds(in) * 1000) / 1000.0;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return 0;
        }
    }

    private static Instant modified(Path f) {
        try {
            return Files.getLastModifiedTime(f).toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }
}
