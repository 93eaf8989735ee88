package io.openlive.engine.stream;

import java.util.concurrent.Executor;

/**
 * Where a {@link StreamReader} delivers frames: one viewer connection of some protocol. Every method but
 * {@link #executor()} is called on that executor (the connection's event loop), so implementations need no locking;
 * none is called under the stream's lock.
 * {@link #write} must not block; it retains what it keeps. The sink calls {@link StreamReader#signal()} when it becomes
 * writable again.
 */
public interface FrameSink {
    Executor executor();

    /** True when called on {@link #executor()}: the reader then drains at once instead of queueing a task. */
    boolean inExecutor();

    boolean isWritable();

    /**
     * Bytes the connection takes before it turns unwritable: a drain writes frames until it has written this much (at
     * least one frame while it is writable). Default: unbounded while {@link #isWritable()}, else 0.
     */
    default long writableBytes() {
        return isWritable() ? Long.MAX_VALUE : 0;
    }

    /** Queues the frame on the connection (no flush) and returns the bytes queued. */
    int write(Frame frame);

    void flush();

    /** Ends the viewer's connection; {@code reason} is for the log line. */
    void close(String reason);

    /** {@link System#nanoTime()} when the viewer asked to play (request or play command received). */
    long requestedAtNanos();

    /**
     * The publisher came back after a drop: the frames that follow are a new encoder session (possibly new sequence
     * headers), joined at its first key frame. Segmenters mark a discontinuity here; players need nothing.
     */
    default void publisherReturned() {
    }

    /**
     * The publisher dropped: no frame of its session follows (the room waits out the grace period, then the publisher
     * returns or the stream ends). Called once per drop (once for drops a viewer far behind skipped over together),
     * after the session's last frame this viewer was sent, and followed by a {@link #flush()}. Segmenters complete what they hold here instead of waiting for a frame that may
     * never come; players need nothing.
     */
    default void publisherDropped() {
    }

    /** Protocol name for figures and logs: "http-flv", "ws-flv", "rtmp". */
    String protocol();

    /**
     * Whether this viewer gets the {@code onOpenliveClock} script tag before its first media tag (the FLV viewers over
     * HTTP and WebSocket, whose browser player raises it as script data), telling it the first media tag's timestamp.
     */
    default boolean wantsClock() {
        return false;
    }
}
