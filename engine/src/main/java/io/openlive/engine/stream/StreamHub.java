package io.openlive.engine.stream;

import io.netty.buffer.ByteBufAllocator;

import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * All live streams of this node, by room id. Publishing and playing go through here; a stream exists while it has a
 * publisher, is within its reconnect grace period, or has viewers waiting for it. Usage:
 * {@code Publisher p = hub.publish("r1", "127.0.0.1:5000"); StreamReader r = hub.play("r1", sink);}
 */
public final class StreamHub {
    private final StreamConfig config;
    private final Scheduler scheduler;
    private final ByteBufAllocator alloc;
    private final StreamListener listener;
    private final StreamStats total = new StreamStats();
    private final ConcurrentHashMap<String, LiveStream> streams = new ConcurrentHashMap<>();

    public StreamHub(StreamConfig config, Scheduler scheduler, ByteBufAllocator alloc, StreamListener listener) {
        this.config = config;
        this.scheduler = scheduler;
        this.alloc = alloc;
        this.listener = listener;
    }

    public StreamConfig config() {
        return config;
    }

    /** Figures summed over every stream this node has served. */
    public StreamStats totals() {
        return total;
    }

    public Collection<LiveStream> streams() {
        return streams.values();
    }

    public Optional<LiveStream> stream(String roomId) {
        return Optional.ofNullable(streams.get(roomId));
    }

    /** The room's newest media timestamp while it is live on this node (see {@link LiveStream#mediaTime()}). */
    public java.util.OptionalLong mediaTime(String roomId) {
        LiveStream stream = streams.get(roomId);
        return stream == null ? java.util.OptionalLong.empty() : stream.mediaTime();
    }

    public Publisher publish(String roomId, String who) throws PublishRefusedException {
        while (true) {
            LiveStream stream = streams.computeIfAbsent(roomId, this::newStream);
            try {
                return stream.startPublishing(who);
            } catch (PublishRefusedException e) {
                if (!stream.isEnded()) {
                    throw e;
                }
                streams.remove(roomId, stream); // lost a race with the end of the previous stream: start afresh
            }
        }
    }

    /**
     * Publishes for a {@link Standby}: it holds the room while no real publisher does, gives way to one at once, and is
     * asked to {@link Standby#resume} when that one leaves. Refused (but registered) while a real publisher is on.
     */
    public Publisher publishStandby(String roomId, String who, Standby standby) throws PublishRefusedException {
        while (true) {
            LiveStream stream = streams.computeIfAbsent(roomId, this::newStream);
            try {
                return stream.startPublishing(who, standby);
            } catch (PublishRefusedException e) {
                if (!stream.isEnded()) {
                    throw e;
                }
                streams.remove(roomId, stream);
            }
        }
    }

    public StreamReader play(String roomId, FrameSink sink) {
        while (true) {
            LiveStream stream = streams.computeIfAbsent(roomId, this::newStream);
            StreamReader reader = stream.attach(sink);
            if (reader != null) {
                return reader;
            }
            streams.remove(roomId, stream); // it ended before the viewer joined: wait on a fresh stream instead
        }
    }

    /** Ends every stream and releases its frames. */
    public void close() {
        for (LiveStream stream : streams.values()) {
            stream.close();
        }
    }

    private LiveStream newStream(String roomId) {
        LiveStream[] self = new LiveStream[1];
        self[0] = new LiveStream(roomId, config, scheduler, alloc, total, listener, () -> streams.remove(roomId, self[0]));
        return self[0];
    }
}
