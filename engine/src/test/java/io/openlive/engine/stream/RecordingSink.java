package io.openlive.engine.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * A viewer connection as the engine sees it, run inline: records what it is sent and can refuse bytes (a socket whose
 * buffer is full). The real protocol sinks are covered by the server tests with real peers.
 */
final class RecordingSink implements FrameSink {
    final List<Frame> frames = new ArrayList<>();
    /** Whether it asks for the onOpenliveClock tag, as the FLV sinks do. */
    boolean clockTag;
    boolean writable = true;
    String closedFor;
    StreamReader reader;
    /** Times (by {@link #clock}) of each flush and of each frame's write; filled only when a clock is set. */
    java.util.function.LongSupplier clock;
    final List<Long> flushedAt = new ArrayList<>();
    final List<Long> writtenAt = new ArrayList<>();
    /** Every call that carries the stream, in order: frames as {@code KIND@ts}, then "DROPPED", "RETURNED", "flush". */
    final List<String> calls = new ArrayList<>();

    @Override
    public Executor executor() {
        return Runnable::run;
    }

    final long requestedAt = System.nanoTime();

    @Override
    public long requestedAtNanos() {
        return requestedAt;
    }

    @Override
    public boolean inExecutor() {
        return true;
    }

    @Override
    public boolean isWritable() {
        return writable;
    }

    @Override
    public int write(Frame frame) {
        frame.retain();
        frames.add(frame);
        calls.add(frame.kind() + "@" + frame.timestamp());
        if (clock != null) {
            writtenAt.add(clock.getAsLong());
        }
        return frame.size() + framing;
    }

    /** Bytes a transport adds per frame (an HTTP chunk header, a WebSocket frame header), reported by {@link #write}. */
    int framing;

    @Override
    public void flush() {
        calls.add("flush");
        if (clock != null) {
            flushedAt.add(clock.getAsLong());
        }
    }

    @Override
    public void publisherDropped() {
        calls.add("DROPPED");
    }

    @Override
    public void publisherReturned() {
        calls.add("RETURNED");
    }

    @Override
    public void close(String reason) {
        closedFor = reason;
    }

    /** Run once, the first time the stream asks for the protocol (as a viewer joins): lets a test end the stream there. */
    Runnable whileJoining;

    @Override
    public boolean wantsClock() {
        return clockTag;
    }

    @Override
    public String protocol() {
        Runnable r = whileJoining;
        whileJoining = null;
        if (r != null) {
            r.run();
        }
        return "http-flv";
    }

    void setWritable(boolean writable) {
        this.writable = writable;
        if (writable && reader != null) {
            reader.signal();
        }
    }

    List<String> kinds() {
        List<String> out = new ArrayList<>();
        for (Frame f : frames) {
            out.add(f.kind() + "@" + f.timestamp());
        }
        return out;
    }

    void releaseAll() {
        frames.forEach(Frame::release);
        frames.clear();
    }
}
