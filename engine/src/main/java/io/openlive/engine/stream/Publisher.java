package io.openlive.engine.stream;

import io.netty.buffer.ByteBuf;

/** The one publisher of a room's stream. Calls come from the publisher's connection thread. */
public final class Publisher {
    private final LiveStream stream;
    private final String who;
    private final Standby standby;
    private volatile boolean closed;

    Publisher(LiveStream stream, String who, Standby standby) {
        this.stream = stream;
        this.who = who;
        this.standby = standby;
    }

    /** The standby this publisher writes for, or null for a real publisher. */
    Standby standby() {
        return standby;
    }

    /** A real publisher took the room over: later writes are dropped, and closing is not a departure. */
    void replaced() {
        closed = true;
    }

    public String who() {
        return who;
    }

    public LiveStream stream() {
        return stream;
    }

    /**
     * Appends a message (8 audio, 9 video, 18 data) with the publisher's timestamp; {@code body} is copied. Viewers are
     * told at the next {@link #flush()}, so frames that arrive together go out together.
     */
    public void write(int type, int timestamp, ByteBuf body) {
        if (!closed) {
            stream.write(this, type, timestamp, body);
        }
    }

    /** Signals the viewers about everything written since the last flush; call it at the end of each read. */
    public void flush() {
        if (!closed) {
            stream.signalReaders();
        }
    }

    /** The publisher's connection ended; the room stays live for the grace period. */
    public void close() {
        if (!closed) {
            closed = true;
            stream.publisherGone(this);
        }
    }
}
