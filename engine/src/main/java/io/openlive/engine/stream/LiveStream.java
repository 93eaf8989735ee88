package io.openlive.engine.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live stream of one room: a ring of recent {@link Frame}s shared by every viewer, the current metadata and sequence
 * headers, and the readers.
 *
 * <p>The ring is the GOP cache and every reader's backlog at once. It holds at most {@link StreamConfig#ringFrames()}
 * frames and {@link StreamConfig#ringBytes()} bytes, counting every encoding of every frame it keeps (FLV tag, RTMP
 * chunks and the framings viewers asked for), and drops the oldest frames first to stay within both. A normal GOP fits
 * many times over, so a new viewer starts at the latest key frame and decodes at once. A GOP too large for the budget
 * (a long key frame interval at a high bitrate) loses its key frame from the ring: a viewer joining then gets the
 * metadata and sequence headers at once and its first media frame at the next key frame. Encodings made by viewers
 * between two frames are trimmed at the next frame. A reader is only a cursor into the ring, so an idle viewer costs a
 * few dozen bytes and a slow one can never make the server hold more.
 *
 * <p>The publisher never blocks: it encodes a frame before taking the lock, appends it under a short lock and signals
 * readers once per event loop ({@link ReaderGroup}); each reader takes what it will write, retained, under the lock and
 * writes it after releasing it, so no write to a socket happens under the lock.
 * Timestamps are rebased onto a room {@link Timeline} (64-bit, wrap-aware, one offset per track), so a publisher that
 * reconnects within {@link StreamConfig#publisherGrace()} continues the same timeline, at its last timestamp + 1, for
 * viewers that stayed connected.
 */
public final class LiveStream {
    private static final Logger log = LoggerFactory.getLogger(LiveStream.class);

    enum State { WAITING, LIVE, RECONNECTING, ENDED }

    private final String roomId;
    private final StreamConfig config;
    private final Scheduler scheduler;
    private final ByteBufAllocator alloc;
    private final StreamStats stats = new StreamStats();
    private final StreamStats total;
    private final Runnable onEmpty;
    private final StreamListener listener;
    final Object lock = new Object();

    private final Frame[] ring;
    private long head;
    private long tail;
    /** Capacity of every encoding of the frames in the ring; encodings made by readers are added as they are made. */
    private final AtomicLong ringBytes = new AtomicLong();
    private long keyframeSeq = -1;
    private Frame metadata;
    private Frame videoConfig;
    private Frame audioConfig;
    private long sessionStart;
    private int session;
    /**
     * Ring positions where a publisher dropped (the head then: the frames before it are its session's), oldest first,
     * the last {@link #KEPT_DROPS}; under {@link #lock}. Readers tell their sink as they pass one (see
     * {@link #dropPassed}). A drop where the previous one was (no frame in between) is not repeated.
     */
    private final java.util.ArrayDeque<Long> drops = new java.util.ArrayDeque<>();
    private static final int KEPT_DROPS = 16;
    /** The newest of {@link #drops}, -1 before any: a reader's per-frame check is one comparison. */
    private long lastDrop = -1;

    /** Readers by the executor they drain on; the group set only grows (one per event loop). */
    private final ConcurrentHashMap<Executor, ReaderGroup> groups = new ConcurrentHashMap<>();
    private final AtomicInteger readerCount = new AtomicInteger();
    private volatile State state = State.WAITING;
    private Publisher publisher;
    /** The standby that publishes while no real publisher does (see {@link Standby}), under {@link #lock}. */
    private Standby standby;
    private Runnable graceTimer;

    /** Merge window state (see {@link #signalReaders()}), under {@link #lock}. */
    private long lastSignalNanos = Long.MIN_VALUE / 2;
    private boolean mergePending;
    /** Whether the batch being read waits for the other track (see {@link #signalReaders()}), under {@link #lock}. */
    private final PairingHold pairing;

    /** Publisher timestamps to the room's, under {@link #lock}. */
    private final Timeline timeline = new Timeline();

    LiveStream(String roomId, StreamConfig config, Scheduler scheduler, ByteBufAllocator alloc, StreamStats total,
               StreamListener listener, Runnable onEmpty) {
        this.roomId = roomId;
        this.config = config;
        this.scheduler = scheduler;
        this.alloc = alloc;
        this.total = total;
        this.listener = listener;
        this.onEmpty = onEmpty;
        this.ring = new Frame[config.ringFrames()];
        this.pairing = new PairingHold(config.pairHold().toNanos());
    }

    public String roomId() {
        return roomId;
    }

    public StreamStats stats() {
        return stats;
    }

    public boolean isLive() {
        State s = state;
        return s == State.LIVE || s == State.RECONNECTING;
    }

    public boolean isEnded() {
        return state == State.ENDED;
    }

    public int readerCount() {
        return readerCount.get();
    }

    /** On how many event loops (or other executors) this stream has had readers. */
    public int readerLoops() {
        return groups.size();
    }

    StreamConfig config() {
        return config;
    }

    Scheduler scheduler() {
        return scheduler;
    }

    /**
     * The newest media timestamp received (ms on the room's timeline, which only goes forward), while the stream is live
     * and has had a frame; empty otherwise.
     */
    public java.util.OptionalLong mediaTime() {
        synchronized (lock) {
            long newest = timeline.newest();
            return isLive() && head > 0 && newest >= 0 ? java.util.OptionalLong.of(newest) : java.util.OptionalLong.empty();
        }
    }

    /** A one-off script data tag {@code onOpenliveClock {mediaTime}} stamped {@code mediaTime}; the caller releases it. */
    Frame clockFrame(int mediaTime) {
        io.netty.buffer.ByteBuf body = alloc.heapBuffer(48);
        try {
            io.openlive.kernel.amf0.Amf0Writer.writeValue(body, "onOpenliveClock");
            io.openlive.kernel.amf0.Amf0Writer.writeEcmaArray(body, java.util.Map.of("mediaTime", (double) Integer.toUnsignedLong(mediaTime)));
            return Frame.of(alloc, -1, 18, mediaTime, body);
        } finally {
            body.release();
        }
    }

    /**
     * Bytes the ring holds now, every encoding counted; bounded by the configuration whatever readers do (encodings made
     * since the last frame are trimmed at the next).
     */
    public long bufferedBytes() {
        return ringBytes.get();
    }

    /**
     * Capacity of the buffers the ring's frames keep alive, read from the buffers themselves rather than from
     * {@link #bufferedBytes()}'s count: what a test of the memory bound measures.
     */
    public long measuredBytes() {
        synchronized (lock) {
            long sum = 0;
            for (long seq = tail; seq < head; seq++) {
                for (ByteBuf b : frameAt(seq).encodings()) {
                    sum += b.refCnt() > 0 ? b.capacity() : 0;
                }
            }
            return sum;
        }
    }

    /** Frames the ring holds now. */
    public long bufferedFrames() {
        synchronized (lock) {
            return head - tail;
        }
    }

    /** Starts a publisher, or refuses if one is live; a publisher returning within the grace period resumes the room. */
    Publisher startPublishing(String who) throws PublishRefusedException {
        return startPublishing(who, null);
    }

    /**
     * Starts a publisher. A real one ({@code standby} null) takes the room over from a standby at once (viewers continue
     * at its first key frame, on the same timeline); a standby registers itself and is refused while a real publisher is on.
     */
    Publisher startPublishing(String who, Standby asStandby) throws PublishRefusedException {
        Runnable cancelGrace;
        Publisher replaced = null;
        boolean wasLive;
        synchronized (lock) {
            if (state == State.ENDED) {
                throw new PublishRefusedException("stream is closing");
            }
            if (asStandby != null) {
                standby = asStandby;
            }
            if (publisher != null && (asStandby != null || publisher.standby() == null)) {
                // the refused client is not told who publishes (the first publisher's address is theirs alone)
                throw new PublishRefusedException("room is already being published");
            }
            if (publisher != null) {
                replaced = publisher;
                replaced.replaced();
            }
            publisher = new Publisher(this, who, asStandby);
            cancelGrace = graceTimer;
            graceTimer = null;
            wasLive = state == State.LIVE;
            if (state == State.RECONNECTING || replaced != null) {
                timeline.publisherReturned();
                session++;
                sessionStart = head;
                keyframeSeq = -1; // frames before the drop (or of the standby) must not start a new viewer
            }
            state = State.LIVE;
        }
        if (cancelGrace != null) {
            cancelGrace.run();
        }
        if (replaced != null) {
            stats.publishers.decrementAndGet();
            total.publishers.decrementAndGet();
            log.info("[stream room={}] {} takes over from {}", roomId, who, replaced.who());
            replaced.standby().takenOver();
        }
        stats.publishers.incrementAndGet();
        total.publishers.incrementAndGet();
        if (!wasLive) {
            listener.onLive(roomId);
        }
        signalAll();
        return publisher;
    }

    /** Appends one message; called on the publisher's thread. {@code body} is copied, not retained. */
    void write(Publisher from, int type, int timestamp, ByteBuf body) {
        int size = body.readableBytes();
        int ts;
        synchronized (lock) {
            if (from != publisher) {
                return;
            }
            ts = (int) timeline.place(type, timestamp); // the low 32 bits, as RTMP and FLV carry them
        }
        // The copies are made on the publisher's thread with the lock released: viewers draining meanwhile do not wait.
        Frame frame = Frame.of(alloc, -1, type, ts, body);
        synchronized (lock) {
            if (from != publisher) {
                frame.release();
                return;
            }
            append(frame);
            if (pairing.enabled()) {
                pairing.onFrame(frame.kind(), ts, scheduler.nanoTime());
            }
        }
        stats.framesIn.increment();
        stats.bytesIn.add(size);
        total.framesIn.increment();
        total.bytesIn.add(size);
    }

    /**
     * Tells every reader there is something new; the publisher calls it once per batch of frames it read. With a pair
     * hold, a batch whose partner of the other track is due within the hold waits for it (or for the hold to end), so
     * the two go out in one write per viewer. Then, with a merge window, readers hear at most once per window: a batch
     * after a quiet spell goes out at once, and batches that follow within the window wait for its end and go out
     * together. A stream with fewer viewers than the configured threshold is not merged.
     */
    void signalReaders() {
        if (pairing.enabled() && readerCount.get() > 0) { // a room nobody watches has no writes to save
            synchronized (lock) {
                long now = scheduler.nanoTime();
                switch (pairing.decide(now)) {
                    case SEND -> { }
                    case KEEP_HOLDING -> {
                        return;
                    }
                    case START_HOLD -> {
                        long id = pairing.currentHold();
                        scheduler.schedule(pairing.remainingMillis(now), () -> endPairHold(id));
                        stats.pairingHolds.increment();
                        total.pairingHolds.increment();
                        return;
                    }
                }
            }
        }
        mergeOrSignal();
    }

    private void endPairHold(long id) {
        synchronized (lock) {
            if (!pairing.expire(id)) {
                return;
            }
        }
        mergeOrSignal();
    }

    private void mergeOrSignal() {
        long window = config.mergeWindow().toNanos();
        if (window > 0 && readerCount.get() >= config.mergeFromViewers()) {
            synchronized (lock) {
                if (mergePending) {
                    return;
                }
                long now = scheduler.nanoTime();
                long due = lastSignalNanos + window;
                if (now - due < 0) {
                    mergePending = true;
                    scheduler.schedule(Math.max(1, (due - now + 999_999) / 1_000_000), this::endMergeWindow);
                    return;
                }
                lastSignalNanos = now;
            }
        }
        signalNow();
    }

    private void endMergeWindow() {
        synchronized (lock) {
            mergePending = false;
            lastSignalNanos = scheduler.nanoTime();
        }
        signalNow();
    }

    private void signalNow() {
        for (ReaderGroup group : groups.values()) {
            group.signal();
        }
    }

    private void append(Frame frame) {
        if (head - tail == ring.length) {
            evictOldest();
        }
        ring[(int) (head % ring.length)] = frame;
        frame.enterRing(head, ringBytes);
        head++;
        switch (frame.kind()) {
            case KEYFRAME -> keyframeSeq = frame.sequence();
            case VIDEO_CONFIG -> videoConfig = replace(videoConfig, frame);
            case AUDIO_CONFIG -> audioConfig = replace(audioConfig, frame);
            case METADATA -> metadata = replace(metadata, frame);
            default -> {
            }
        }
        // Oldest first, older GOPs before the current one; the current GOP's key frame only when it alone is over budget.
        while (tail < head - 1 && ringBytes.get() > config.ringBytes()) {
            evictOldest();
        }
    }

    private static Frame replace(Frame old, Frame next) {
        if (old != null) {
            old.release();
        }
        next.retain();
        return next;
    }

    private void evictOldest() {
        int slot = (int) (tail % ring.length);
        Frame old = ring[slot];
        ring[slot] = null;
        old.leaveRing();
        if (old.sequence() == keyframeSeq) {
            keyframeSeq = -1;
        }
        old.release();
        tail++;
    }

    /** The publisher left: keep the room live for the grace period, then end it. */
    void publisherGone(Publisher from) {
        Standby comesBack;
        synchronized (lock) {
            if (from != publisher) {
                return;
            }
            publisher = null;
            state = State.RECONNECTING;
            graceTimer = scheduler.schedule(config.publisherGrace().toMillis(), this::graceExpired);
            comesBack = from.standby() == null ? standby : null;
            if (head != lastDrop) {
                lastDrop = head;
                drops.add(head);
                if (drops.size() > KEPT_DROPS) {
                    drops.poll();
                }
            }
        }
        stats.publishers.decrementAndGet();
        total.publishers.decrementAndGet();
        // Readers hear of the drop now, not at the next frame (which may be a grace period away): a segmenter completes
        // the part it holds, so the recording and HLS viewers get the publisher's last frames at once.
        signalAll();
        if (comesBack != null) {
            comesBack.resume();
        }
    }

    private void graceExpired() {
        synchronized (lock) {
            if (state != State.RECONNECTING) {
                return;
            }
            state = State.ENDED;
            graceTimer = null;
        }
        log.info("[stream room={}] ended: publisher did not return within {} ms", roomId, config.publisherGrace().toMillis());
        listener.onEnded(roomId);
        for (StreamReader reader : allReaders()) {
            reader.end("stream ended");
        }
        release();
        onEmpty.run();
    }

    /**
     * Attaches a viewer; it is served from the latest key frame, or waits for the publisher. Returns null when the stream
     * has ended, so that the hub can start a fresh one for the viewer to wait on: the check and the attach are one step
     * under the lock, and an end that comes after it finds the viewer among the readers it closes.
     */
    StreamReader attach(FrameSink sink) {
        StreamReader reader = new StreamReader(this, sink);
        String protocol = sink.protocol();
        synchronized (lock) {
            if (state == State.ENDED) {
                return null;
            }
            reader.group = groups.computeIfAbsent(sink.executor(), e -> new ReaderGroup(e, sink));
            reader.group.add(reader);
            readerCount.incrementAndGet();
            stats.viewers(protocol).incrementAndGet();
            total.viewers(protocol).incrementAndGet();
        }
        if (!isLive()) {
            reader.waitTimer = scheduler.schedule(config.waitForPublisher().toMillis(), () -> {
                if (!isLive()) {
                    reader.end("no publisher within " + config.waitForPublisher().toMillis() + " ms");
                }
            });
        }
        reader.signal();
        return reader;
    }

    void detach(StreamReader reader) {
        if (reader.group.remove(reader)) {
            readerCount.decrementAndGet();
            stats.viewers(reader.protocol()).decrementAndGet();
            total.viewers(reader.protocol()).decrementAndGet();
        }
        boolean empty;
        synchronized (lock) {
            empty = readerCount.get() == 0 && publisher == null && state == State.WAITING;
            if (empty) {
                state = State.ENDED;
            }
        }
        if (empty) {
            release();
            onEmpty.run();
        }
    }

    private void signalAll() {
        signalNow();
    }

    private List<StreamReader> allReaders() {
        List<StreamReader> all = new ArrayList<>();
        for (ReaderGroup group : groups.values()) {
            group.readers().forEach(all::add);
        }
        return all;
    }

    private void release() {
        synchronized (lock) {
            while (tail < head) {
                evictOldest();
            }
            for (Frame f : new Frame[]{metadata, videoConfig, audioConfig}) {
                if (f != null) {
                    f.release();
                }
            }
            metadata = videoConfig = audioConfig = null;
        }
    }

    /** Ends the stream now (server shutdown): viewers are closed, frames released. */
    void close() {
        synchronized (lock) {
            if (state == State.ENDED) {
                return;
            }
            state = State.ENDED;
            publisher = null;
        }
        for (StreamReader reader : allReaders()) {
            reader.end("server shutting down");
        }
        release();
        onEmpty.run();
    }

    void firstFrame(FrameSink sink, long nanos) {
        listener.onFirstFrame(roomId, sink.protocol(), nanos);
    }

    private final AtomicInteger readerOrdinals = new AtomicInteger();

    /** 0 for the stream's first reader, then 1, 2, …: picks the viewers that report their delay. */
    int nextReaderOrdinal() {
        return readerOrdinals.getAndIncrement();
    }

    void egressDelay(FrameSink sink, long nanos) {
        listener.onEgressDelay(roomId, sink.protocol(), nanos);
    }

    void countDropped(long frames) {
        stats.framesDropped.add(frames);
        total.framesDropped.add(frames);
    }

    void countOut(long bytes) {
        stats.bytesOut.add(bytes);
        total.bytesOut.add(bytes);
    }

    void countSlowDisconnect() {
        stats.slowViewersDisconnected.increment();
        total.slowViewersDisconnected.increment();
    }

    // Accessors used by StreamReader while holding the lock.

    long head() {
        return head;
    }

    long tail() {
        return tail;
    }

    long keyframeSeq() {
        return keyframeSeq;
    }

    Frame frameAt(long sequence) {
        return ring[(int) (sequence % ring.length)];
    }

    Frame newest() {
        return head > tail ? frameAt(head - 1) : null;
    }

    Frame metadata() {
        return metadata;
    }

    /** Whether the publisher has sent an audio sequence header (the stream has an audio track). */
    public boolean hasAudio() {
        synchronized (lock) {
            return audioConfig != null;
        }
    }

    /** Whether the publisher has sent a video sequence header (the stream has a video track). */
    public boolean hasVideo() {
        synchronized (lock) {
            return videoConfig != null;
        }
    }

    Frame videoConfig() {
        return videoConfig;
    }

    Frame audioConfig() {
        return audioConfig;
    }

    int session() {
        return session;
    }

    long sessionStart() {
        return sessionStart;
    }

    /**
     * The newest drop position in {@code (after, cursor]}, or -1: a reader whose cursor is at or past a drop has been
     * given (or skipped) every frame before it. Under {@link #lock}.
     */
    long dropPassed(long after, long cursor) {
        if (lastDrop <= after) {
            return -1;
        }
        long found = -1;
        for (long position : drops) {
            if (position > after && position <= cursor) {
                found = position;
            }
        }
        return found;
    }
}
