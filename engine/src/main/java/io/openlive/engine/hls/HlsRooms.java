package io.openlive.engine.hls;

import io.netty.util.concurrent.EventExecutor;
import io.openlive.engine.stream.LiveStream;
import io.openlive.engine.stream.Scheduler;
import io.openlive.engine.stream.StreamHub;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The rooms being cut into HLS on this node. A room's {@link Segmenter} starts when its playlist is first asked for while
 * the room is live, and stops after {@link HlsConfig#idleTimeout()} without requests; a room that is not live gets none,
 * so asking for it costs a map lookup. An ended segmenter stays (serving EXT-X-ENDLIST) until idle or until the room
 * goes live again. Usage: {@code Segmenter s = rooms.open("r1"); // null when not live}
 */
public final class HlsRooms {
    private static final Logger log = LoggerFactory.getLogger(HlsRooms.class);
    private static final long SWEEP_MILLIS = 5_000;

    private final StreamHub hub;
    private final HlsConfig config;
    private final Scheduler scheduler;
    private final Supplier<EventExecutor> executors;
    private final ConcurrentHashMap<String, Segmenter> rooms = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private Runnable sweepTimer;

    public HlsRooms(StreamHub hub, HlsConfig config, Scheduler scheduler, Supplier<EventExecutor> executors) {
        this.hub = hub;
        this.config = config;
        this.scheduler = scheduler;
        this.executors = executors;
        scheduleSweep();
    }

    public HlsConfig config() {
        return config;
    }

    /** The room's segmenter if one runs, live or ended. */
    public Optional<Segmenter> find(String roomId) {
        return Optional.ofNullable(rooms.get(roomId));
    }

    /**
     * The room's segmenter, started now if the room is live and none runs (or the one that runs has ended); null when
     * the room is not live and nothing is left of an earlier show.
     */
    public Segmenter open(String roomId) {
        Segmenter existing = rooms.get(roomId);
        boolean live = hub.stream(roomId).map(LiveStream::isLive).orElse(false);
        if (existing != null && (!existing.isEnded() || !live)) {
            existing.touch();
            return existing;
        }
        if (!live || closed) {
            return existing;
        }
        Segmenter[] created = new Segmenter[1];
        Segmenter s = rooms.compute(roomId, (id, current) -> {
            if (current != null && !current.isEnded()) {
                return current;
            }
            if (current != null) {
                current.retire(); // the ended show's window: nobody can find it once this one replaces it
            }
            created[0] = new Segmenter(id, config, executors.get());
            return created[0];
        });
        if (created[0] != null) {
            created[0].attach(hub.play(roomId, created[0]));
            log.info("[hls room={}] segmenter started", roomId);
        }
        s.touch();
        return s;
    }

    public int size() {
        return rooms.size();
    }

    private void scheduleSweep() {
        if (!closed) {
            sweepTimer = scheduler.schedule(SWEEP_MILLIS, () -> {
                sweep();
                scheduleSweep();
            });
        }
    }

    /** Stops segmenters nobody asked for within the idle timeout. */
    void sweep() {
        long now = System.nanoTime();
        long idle = config.idleTimeout().toNanos();
        rooms.forEach((id, s) -> {
            if (s.idleNanos(now) > idle && rooms.remove(id, s)) {
                s.retire();
                log.info("[hls room={}] segmenter stopped: no requests for {} s", id, config.idleTimeout().toSeconds());
            }
        });
    }

    public void close() {
        closed = true;
        Runnable t = sweepTimer;
        if (t != null) {
            t.run();
        }
        rooms.forEach((id, s) -> s.retire());
        rooms.clear();
    }
}
