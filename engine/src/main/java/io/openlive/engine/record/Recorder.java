package io.openlive.engine.record;

import io.openlive.engine.hls.HlsPart;
import io.openlive.engine.hls.PartListener;
import io.openlive.kernel.fmp4.FragmentedIndex;
import io.openlive.kernel.fmp4.Mp4Faststart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes one room's show to disk as it happens: a fragmented MP4 ({@code {id}.fmp4}) that gets the init segment, then
 * every part as one fragment, each written and {@code fdatasync}ed before the next, so a kill -9 or a power cut loses at
 * most the part in flight and leaves a file that plays (the folder is fsynced once the file exists, so its name survives a
 * machine crash too). When the show ends the file is rewritten as a faststart MP4 ({@code {id}.mp4}, {@link Mp4Faststart})
 * through a temporary file, renamed, the folder fsynced again, and the fragmented one removed. Disk work runs on the recorder's own thread;
 * if it falls {@link #MAX_BACKLOG} parts behind, or the disk is full, or a cap is reached, the recording stops with a log
 * line and a status and the live show goes on. New sequence headers (another init segment) end the recording: one file
 * has one set of tracks.
 */
final class Recorder implements PartListener {
    private static final Logger log = LoggerFactory.getLogger(Recorder.class);
    /** Parts waiting for the disk before the recording gives up: about a minute of 300–500 ms parts. */
    static final int MAX_BACKLOG = 200;

    private final String id;
    private final String roomId;
    private final Path fragmented;
    private final Path finished;
    private final Instant startedAt = Instant.now();
    private final DiskBudget budget;
    private final ExecutorService disk = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("recorder").factory());
    private final AtomicInteger backlog = new AtomicInteger();
    private final Runnable onDone;
    private FileChannel out;
    private int initVersion = -1;
    private volatile long bytes;
    private volatile String status = "recording";
    private volatile String reason;
    private volatile Instant endedAt;

    /** Checks and counts disk use; false when the write would pass a cap that pruning could not free. */
    interface DiskBudget {
        boolean reserve(String roomId, long bytes);
    }

    Recorder(String id, String roomId, Path roomDir, DiskBudget budget, Runnable onDone) {
        this.id = id;
        this.roomId = roomId;
        this.fragmented = roomDir.resolve(id + ".fmp4");
        this.finished = roomDir.resolve(id + ".mp4");
        this.budget = budget;
        this.onDone = onDone;
    }

    Recording view() {
        return new Recording(id, roomId, startedAt, endedAt, bytes, status, reason, null);
    }

    String roomId() {
        return roomId;
    }

    @Override
    public void onPart(HlsPart part, int version, byte[] init) {
        if (!status.equals("recording")) {
            return;
        }
        if (backlog.incrementAndGet() > MAX_BACKLOG) {
            stop("stopped", "the disk fell " + MAX_BACKLOG + " parts behind");
            return;
        }
        disk.execute(() -> {
            backlog.decrementAndGet();
            write(part, version, init);
        });
    }

    @Override
    public void onEnd(String why) {
        disk.execute(() -> {
            if (status.equals("recording") || (status.equals("stopped") && out != null)) {
                finish(); // a stopped recording keeps its status, its file becomes an MP4 like the others
            }
            closeFile();
            disk.shutdown();
            onDone.run();
        });
    }

    private void write(HlsPart part, int version, byte[] init) {
        if (!status.equals("recording")) {
            return;
        }
        try {
            if (out == null) {
                Files.createDirectories(fragmented.getParent());
                out = FileChannel.open(fragmented, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                // the file's name must survive a power cut too, not only its parts: and the room's folder its parent's
                syncDirectory(fragmented.getParent());
                syncDirectory(fragmented.getParent().getParent());
                if (!append(init)) {
                    return;
                }
                initVersion = version;
            } else if (version != initVersion) {
                log.info("[record room={} id={}] ended: new stream headers", roomId, id);
                finish();
                return;
            }
            if (append(part.bytes())) {
                out.force(false); // the part is on disk before the next one is written
            }
        } catch (IOException e) {
            stop("stopped", "disk: " + e.getMessage());
        }
    }

    private boolean append(byte[] b) throws IOException {
        if (!budget.reserve(roomId, b.length)) {
            stop("stopped", "disk cap reached");
            return false;
        }
        ByteBuffer buf = ByteBuffer.wrap(b);
        while (buf.hasRemaining()) {
            out.write(buf);
        }
        bytes += b.length;
        return true;
    }

    /** Ends on a log line and a status; what was written stays playable. */
    private void stop(String newStatus, String why) {
        if (status.equals("recording")) {
            status = newStatus;
            reason = why;
            endedAt = Instant.now();
            log.warn("[record room={} id={}] {}: {}", roomId, id, newStatus, why);
        }
    }

    /** Rewrites the fragmented file as a faststart MP4, then removes it. */
    private void finish() {
        String end = status.equals("recording") ? "done" : status;
        status = "finalising";
        if (endedAt == null) {
            endedAt = Instant.now();
        }
        try {
            if (out == null) {
                status = end;
                return;
            }
            out.force(true);
            bytes = finalise(fragmented, finished);
            status = end;
            log.info("[record room={} id={}] finished: {} bytes", roomId, id, bytes);
        } catch (IOException | RuntimeException e) {
            status = "failed";
            reason = "finalising: " + e.getMessage();
            log.warn("[record room={} id={}] not finalised, the fragmented file stays: {}", roomId, id, e.getMessage());
        }
    }

    /** Writes {@code to} (via a temporary file and a rename) from {@code from}, then deletes {@code from}; returns its size. */
    static long finalise(Path from, Path to) throws IOException {
        Path tmp = to.resolveSibling(to.getFileName() + ".tmp");
        long length;
        try {
            try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
                 FileChannel w = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                length = Mp4Faststart.write(FragmentedIndex.read(in), in, w);
                w.force(true);
            }
            Files.move(tmp, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp); // a finalise that failed (a full disk) leaves no half-written copy taking space
        }
        // the rename is durable before the fragmented file goes: a crash in between leaves both, and recover() redoes it
        syncDirectory(to.getParent());
        Files.delete(from);
        return length;
    }

    /**
     * fsyncs a directory, so that the names it holds (a created file, a rename) survive a crash of the machine: on Linux
     * a file's own fsync does not make its directory entry durable (fsync(2): "an explicit fsync() on a file descriptor
     * for the directory is also needed"). Opening a directory for reading works on Linux and macOS; where it does not
     * (Windows, some in-memory file systems) this does nothing, as there is no other way to ask for it.
     */
    static void syncDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            log.debug("[record] directory {} not synced: {}", dir, e.getMessage());
        }
    }

    private void closeFile() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                log.warn("[record room={} id={}] close: {}", roomId, id, e.getMessage());
            }
            out = null;
        }
    }
}
