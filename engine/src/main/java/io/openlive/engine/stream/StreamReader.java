package io.openlive.engine.stream;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One viewer's position in a {@link LiveStream}: a cursor into the shared ring and what the viewer has been sent.
 *
 * <p>On joining, the viewer gets metadata, then sequence headers, then the frames from the latest key frame. A viewer whose
 * connection cannot take frames as fast as they come falls behind; once its next frame has left the ring or is more than
 * {@link StreamConfig#maxReaderLag()} behind, it skips to the latest key frame (the skipped frames are counted as dropped).
 * A viewer that has not caught up for {@link StreamConfig#slowReaderTimeout()} is disconnected. All of this runs on the
 * viewer's own event loop when {@link #signal()}ed (or its {@link ReaderGroup} is), so neither the publisher nor other
 * viewers ever wait for it. A drain decides what to send under the stream's lock, taking a reference to each frame, and
 * writes after releasing it: at most {@link StreamConfig#maxBatch()} frames, and no more bytes than the connection takes
 * before it turns unwritable ({@link FrameSink#writableBytes()}).
 */
public final class StreamReader implements Runnable {
    /** Frames of backlog below which a reader is not even checked for lag: a caught-up viewer has one or two. */
    private static final int LAG_CHECK_BACKLOG = 16;
    /** In a drain's plan: tell the sink the publisher came back, before the frames that follow. */
    private static final Object PUBLISHER_RETURNED = new Object();
    /** In a drain's plan: tell the sink the publisher dropped, after the last frame before the drop. */
    private static final Object PUBLISHER_DROPPED = new Object();

    private final LiveStream stream;
    private final FrameSink sink;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final long maxLagMs;
    private final long slowTimeoutNanos;
    private final int maxBatch;

    private boolean started;
    private long cursor;
    private boolean waitingForKeyframe;
    private boolean firstFrameSent;
    private boolean clockSent;
    private int session;
    /** Ring position of the last drop this viewer was told of or joined after (see {@link LiveStream#dropPassed}). */
    private long dropSeen = -1;
    private Frame sentMetadata;
    private Frame sentVideoConfig;
    private Frame sentAudioConfig;
    private long behindSinceNanos;
    private volatile boolean closed;
    /** Set while draining, so a writability change fired by our own flush queues a task instead of re-entering. */
    private boolean draining;
    Runnable waitTimer;
    /** The readers of this one's executor, set as it attaches. */
    ReaderGroup group;
    /**
     * What a drain sends, in order, gathered under the stream's lock: frames it holds a reference to (stream frames
     * retained, clock tags made for it), {@link #PUBLISHER_DROPPED} and {@link #PUBLISHER_RETURNED}. Empty between
     * drains; kept for its capacity.
     */
    private final java.util.ArrayList<Object> plan = new java.util.ArrayList<>();
    /** The plan holds a marker: the drain flushes even if it wrote no bytes, so the sink acts on it now. */
    private boolean planHasMarker;
    /**
     * One reader in {@link #DELAY_SAMPLE} of a stream (its first among them) reports its egress delay: enough for
     * percentiles, and no per-frame cost on the other viewers.
     */
    private static final int DELAY_SAMPLE = 8;
    private final boolean reportsDelay;
    /** Caught up with the stream once: from then on every frame it writes was new when it was signalled. */
    private boolean settled;
    private long oldestWritten;

    StreamReader(LiveStream stream, FrameSink sink) {
        this.stream = stream;
        this.sink = sink;
        this.maxLagMs = stream.config().maxReaderLag().toMillis();
        this.slowTimeoutNanos = stream.config().slowReaderTimeout().toNanos();
        this.maxBatch = stream.config().maxBatch();
        this.reportsDelay = stream.nextReaderOrdinal() % DELAY_SAMPLE == 0;
    }

    public String protocol() {
        return sink.protocol();
    }

    public LiveStream stream() {
        return stream;
    }

    /**
     * New frames or room for them: drain on the sink's executor, at once when already on it (a publisher and its viewers
     * often share an event loop), else in a task. Cheap when a drain is already pending.
     */
    public void signal() {
        if (!closed && !scheduled.get() && scheduled.compareAndSet(false, true)) {
            if (!draining && sink.inExecutor()) {
                run();
            } else {
                sink.executor().execute(this);
            }
        }
    }

    /** The viewer's connection closed; called on the sink's executor. */
    public void detach() {
        if (!closed) {
            closed = true;
            cancelWaitTimer();
            stream.detach(this);
        }
    }

    /** Ends the viewer from the stream's side (stream over, no publisher): closes the sink on its executor. */
    void end(String reason) {
        sink.executor().execute(() -> {
            if (!closed) {
                sink.close(reason);
                detach();
            }
        });
    }

    @Override
    public void run() {
        scheduled.set(false);
        drainNow();
    }

    /** Drains on the sink's executor unless closed or already draining (its group and its own task both call this). */
    void drainNow() {
        if (closed || draining) {
            return;
        }
        draining = true;
        try {
            drain();
        } finally {
            draining = false;
        }
    }

    private void drain() {
        long dropped = 0;
        boolean caughtUp;
        boolean firstMedia = false;
        boolean live = stream.isLive();
        if (live) {
            cancelWaitTimer();
        }
        long room = sink.writableBytes();
        synchronized (stream.lock) {
            if (!started) {
                if (!live && stream.head() == stream.tail()) {
                    return; // wait for the publisher; signalled when it starts
                }
                start();
            }
            if (cursor < stream.tail() || (stream.head() - cursor > LAG_CHECK_BACKLOG && isLagging())) {
                dropped += skipToKeyframe();
            }
            int batch = 0;
            long planned = 0;
            oldestWritten = 0;
            while (cursor < stream.head() && batch < maxBatch && planned < room) {
                planDropPassed(); // before the next session's frames and its PUBLISHER_RETURNED
                Frame frame = stream.frameAt(cursor++);
                if (frame.sequence() >= stream.sessionStart() && session != stream.session()) {
                    session = stream.session();
                    waitingForKeyframe = true; // the publisher came back: resume at its first key frame
                    planMarker(PUBLISHER_RETURNED);
                }
                if (frame.isConfig()) {
                    if (clockSent) { // until then the current configuration goes out after the clock, below
                        planConfig(frame);
                    }
                    continue;
                }
                if (waitingForKeyframe) {
                    if (frame.kind() != Frame.Kind.KEYFRAME && (frame.kind() != Frame.Kind.AUDIO || stream.videoConfig() != null)) {
                        dropped++;
                        continue;
                    }
                    waitingForKeyframe = false;
                }
                if (!clockSent) {
                    planClock(frame.timestamp());
                    planCurrentConfig();
                }
                plan.add(frame.retain());
                planned += frame.size();
                batch++;
                if (oldestWritten == 0) {
                    oldestWritten = frame.arrivedNanos();
                }
                if (!firstFrameSent) {
                    firstFrameSent = firstMedia = true;
                }
            }
            planDropPassed(); // a drop right after the last frame of this drain
            caughtUp = cursor == stream.head();
        }
        boolean marked = planHasMarker;
        planHasMarker = false;
        long bytes = writePlan();
        if (firstMedia) {
            stream.firstFrame(sink, System.nanoTime() - sink.requestedAtNanos());
        }
        if (bytes > 0 || marked) {
            sink.flush(); // a marker alone is flushed too: a segmenter acts on it at its flush
        }
        if (bytes > 0) {
            stream.countOut(bytes);
            if (settled && reportsDelay && oldestWritten != 0) {
                // the oldest frame of the drain waited longest: from its arrival to its bytes handed to the socket
                stream.egressDelay(sink, System.nanoTime() - oldestWritten);
            }
        }
        if (dropped > 0) {
            stream.countDropped(dropped);
        }
        if (caughtUp) {
            settled = true; // past the GOP a new viewer starts with, whose frames are old by design
            behindSinceNanos = 0;
            return;
        }
        long now = stream.scheduler().nanoTime();
        if (behindSinceNanos == 0) {
            behindSinceNanos = now;
        } else if (now - behindSinceNanos > slowTimeoutNanos) {
            stream.countSlowDisconnect();
            sink.close("too slow: behind for more than " + slowTimeoutNanos / 1_000_000 + " ms");
            detach();
            return;
        }
        if (sink.isWritable()) {
            signal(); // batch limit reached: yield the event loop, continue in the next turn
        }
    }

    /** Writes what the drain planned, outside the lock, giving back each reference as its frame is written. */
    private long writePlan() {
        long bytes = 0;
        int i = 0;
        try {
            for (; i < plan.size(); i++) {
                Object item = plan.get(i);
                if (item == PUBLISHER_RETURNED) {
                    sink.publisherReturned();
                } else if (item == PUBLISHER_DROPPED) {
                    sink.publisherDropped();
                } else {
                    Frame frame = (Frame) item;
                    try {
                        bytes += sink.write(frame);
                    } finally {
                        frame.release();
                    }
                }
            }
        } finally {
            for (i++; i < plan.size(); i++) { // a sink that threw: the frames not written are still ours to release
                if (plan.get(i) instanceof Frame frame) {
                    frame.release();
                }
            }
            plan.clear();
        }
        return bytes;
    }

    /** Metadata, then sequence headers, then the GOP: what a decoder needs to show a picture at once. */
    private void start() {
        started = true;
        session = stream.session();
        long keyframe = stream.keyframeSeq();
        if (keyframe >= stream.tail()) {
            cursor = keyframe;
        } else {
            cursor = stream.head();
            waitingForKeyframe = true;
        }
        dropSeen = Math.max(dropSeen, stream.dropPassed(dropSeen, cursor)); // drops before our first frame are not ours
        if (!sink.wantsClock()) {
            clockSent = true;
        }
        for (long seq = cursor; seq < stream.head() && !clockSent; seq++) {
            Frame first = stream.frameAt(seq);
            if (!first.isConfig()) {
                planClock(first.timestamp()); // right after the FLV header, before the configuration
            }
        }
        planCurrentConfig(); // without a media frame yet, this waits for the clock (sent before the first one)
    }

    /**
     * The {@code onOpenliveClock} script data tag (FLV E.4.4: AMF0 name, then an ECMA array {@code {mediaTime}}) with the
     * timestamp of this viewer's first media tag, once per viewer, for sinks that want it. A player that rebases its
     * timeline to start near zero (mpegts.js) then shows media time {@code mediaTime + currentTime}.
     */
    private void planClock(int mediaTime) {
        clockSent = true;
        plan.add(stream.clockFrame(mediaTime));
    }

    /** Sends the stream's current metadata and sequence headers, those the viewer does not have yet (after the clock). */
    private void planCurrentConfig() {
        if (!clockSent) {
            return;
        }
        for (Frame config : new Frame[]{stream.metadata(), stream.videoConfig(), stream.audioConfig()}) {
            if (config != null) {
                planConfig(config);
            }
        }
    }

    private boolean isLagging() {
        if (cursor >= stream.head()) {
            return false;
        }
        Frame next = stream.frameAt(cursor);
        Frame newest = stream.newest();
        return newest != null && newest.timestamp() - next.timestamp() > maxLagMs;
    }

    /** Jumps to the latest key frame (re-sending changed sequence headers), or to the head to wait for one. */
    private long skipToKeyframe() {
        long target = stream.keyframeSeq();
        long from = cursor;
        if (target > cursor) {
            cursor = target;
            waitingForKeyframe = false;
        } else {
            cursor = stream.head();
            waitingForKeyframe = true;
        }
        planCurrentConfig();
        return Math.max(0, cursor - Math.max(from, stream.tail()));
    }

    private void planConfig(Frame frame) {
        switch (frame.kind()) {
            case METADATA -> {
                if (sentMetadata == frame) {
                    return;
                }
                sentMetadata = frame;
            }
            case VIDEO_CONFIG -> {
                if (sentVideoConfig == frame) {
                    return;
                }
                sentVideoConfig = frame;
            }
            default -> {
                if (sentAudioConfig == frame) {
                    return;
                }
                sentAudioConfig = frame;
            }
        }
        plan.add(frame.retain());
    }

    /**
     * Tells the sink of a drop its cursor has reached: every frame before it is planned (or was skipped). Once per drop;
     * drops skipped over together (a reader far behind) are told once.
     */
    private void planDropPassed() {
        long drop = stream.dropPassed(dropSeen, cursor);
        if (drop >= 0) {
            dropSeen = drop;
            planMarker(PUBLISHER_DROPPED);
        }
    }

    private void planMarker(Object marker) {
        plan.add(marker);
        planHasMarker = true;
    }

    private void cancelWaitTimer() {
        Runnable timer = waitTimer;
        if (timer != null) {
            waitTimer = null;
            timer.run();
        }
    }
}
