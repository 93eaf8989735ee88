package io.openlive.engine.stream;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One viewer's position in a {@link LiveStream}: a cursor into the shared ring and what the viewer has been sent.
 *
 * <p>On joining, the viewer gets metadata, then sequence headers, then the frames from the latest key frame. A viewer whose
 * connection cannot take frames as fast as they come falls behind; once its next frame has left the ring or is more than
 * {@link StreamConfig#maxReaderLag()} behind, it skips to the latest key frame (the skipped frames are counted as dropped).
 * A viewer that has not caught up for {@link StreamConfig#slowReaderTimeout()} is disconnected. All of this runs on the
 * viewer's own event loop when {@link #signal()}ed, so neither the publisher nor other viewers ever wait for it.
 */
public final class StreamReader implements Runnable {
    /** Frames of backlog below which a reader is not even checked for lag: a caught-up viewer has one or two. */
    private static final int LAG_CHECK_BACKLOG = 16;

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
    private Frame sentMetadata;
    private Frame sentVideoConfig;
    private Frame sentAudioConfig;
    private long behindSinceNanos;
    private volatile boolean closed;
    /** Set while draining, so a writability change fired by our own flush queues a task instead of re-entering. */
    private boolean draining;
    Runnable waitTimer;
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
        if (closed) {
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
        long bytes = 0;
        long dropped = 0;
        boolean caughtUp;
        boolean live = stream.isLive();
        if (live) {
            cancelWaitTimer();
        }
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
            oldestWritten = 0;
            while (cursor < stream.head() && batch < maxBatch && sink.isWritable()) {
                Frame frame = stream.frameAt(cursor++);
                if (frame.sequence() >= stream.sessionStart() && session != stream.session()) {
                    session = stream.session();
                    waitingForKeyframe = true; // the publisher came back: resume at its first key frame
                    sink.publisherReturned();
                }
                if (frame.isConfig()) {
                    if (clockSent) { // until then the current configuration goes out after the clock, below
                        bytes += writeConfig(frame);
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
                    bytes += writeClock(frame.timestamp());
                    bytes += writeCurrentConfig();
                }
                bytes += sink.write(frame);
                batch++;
                if (oldestWritten == 0) {
                    oldestWritten = frame.arrivedNanos();
                }
                if (!firstFrameSent) {
                    firstFrameSent = true;
                    stream.firstFrame(sink, System.nanoTime() - sink.requestedAtNanos());
                }
            }
            caughtUp = cursor == stream.head();
        }
        if (bytes > 0) {
            sink.flush();
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
        if (!sink.wantsClock()) {
            clockSent = true;
        }
        for (long seq = cursor; seq < stream.head() && !clockSent; seq++) {
            Frame first = stream.frameAt(seq);
            if (!first.isConfig()) {
                writeClock(first.timestamp()); // right after the FLV header, before the configuration
            }
        }
        writeCurrentConfig(); // without a media frame yet, this waits for the clock (sent before the first one)
    }

    /**
     * The {@code onOpenliveClock} script data tag (FLV E.4.4: AMF0 name, then an ECMA array {@code {mediaTime}}) with the
     * timestamp of this viewer's first media tag, once per viewer, for sinks that want it. A player that rebases its
     * timeline to start near zero (mpegts.js) then shows media time {@code mediaTime + currentTime}.
     */
    private int writeClock(int mediaTime) {
        clockSent = true;
        Frame clock = stream.clockFrame(mediaTime);
        try {
            return sink.write(clock);
        } finally {
            clock.release();
        }
    }

    /** Sends the stream's current metadata and sequence headers, those the viewer does not have yet (after the clock). */
    private int writeCurrentConfig() {
        if (!clockSent) {
            return 0;
        }
        int bytes = 0;
        for (Frame config : new Frame[]{stream.metadata(), stream.videoConfig(), stream.audioConfig()}) {
            if (config != null) {
                bytes += writeConfig(config);
            }
        }
        return bytes;
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
        writeCurrentConfig();
        return Math.max(0, cursor - Math.max(from, stream.tail()));
    }

    private int writeConfig(Frame frame) {
        switch (frame.kind()) {
            case METADATA -> {
                if (sentMetadata == frame) {
                    return 0;
                }
                sentMetadata = frame;
            }
            case VIDEO_CONFIG -> {
                if (sentVideoConfig == frame) {
                    return 0;
                }
                sentVideoConfig = frame;
            }
            default -> {
                if (sentAudioConfig == frame) {
                    return 0;
                }
                sentAudioConfig = frame;
            }
        }
        return sink.write(frame);
    }

    private void cancelWaitTimer() {
        Runnable timer = waitTimer;
        if (timer != null) {
            waitTimer = null;
            timer.run();
        }
    }
}
