package io.openlive.server.realtime;

import io.openlive.engine.analytics.RoomStats;
import io.openlive.engine.analytics.StatsStore;
import io.openlive.engine.stream.LiveStream;
import io.openlive.engine.stream.StreamHub;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * This node's contribution to room statistics, written every {@link RoomStats#BUCKET_MILLIS}: the realtime viewers of
 * each room per host app and the media players of each room (HTTP-FLV, WS-FLV, RTMP; not attributed to an app), each
 * viewer's first visit and the watch time since the last write, and the comments, likes, gifts and component calls
 * counted meanwhile. Counting is a map update on the caller's thread; the writing is one transaction on a thread of its
 * own (never an event loop). A failed write keeps its figures for the next one. Usage: {@code new StatsRecorder(...).start()}.
 */
public final class StatsRecorder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StatsRecorder.class);

    private record ViewerKey(String roomId, String appId, String viewerId) {
    }

    private record CountKey(String roomId, String appId, String component, long minute, String kind) {
    }

    /** A viewer's open connections here and the time up to which its watch time is counted. */
    private static final class Presence {
        int connections;
        long countedUntil;
        long firstSeen;
        boolean written;
    }

    private final StatsStore store;
    private final RealtimeHub realtime;
    private final StreamHub media;
    private final Map<ViewerKey, Presence> present = new HashMap<>();
    private final Map<ViewerKey, Long> pendingWatch = new HashMap<>();
    /** Viewers seen here whose first visit is not written yet. */
    private final Map<ViewerKey, Long> firstSeen = new HashMap<>();
    private final Map<CountKey, Long> counts = new HashMap<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "openlive-stats");
        t.setDaemon(true);
        return t;
    });

    public StatsRecorder(StatsStore store, RealtimeHub realtime, StreamHub media) {
        this.store = store;
        this.realtime = realtime;
        this.media = media;
    }

    public StatsRecorder start() {
        long now = System.currentTimeMillis();
        long first = RoomStats.BUCKET_MILLIS - now % RoomStats.BUCKET_MILLIS;
        thread.scheduleAtFixedRate(this::flush, first, RoomStats.BUCKET_MILLIS, TimeUnit.MILLISECONDS);
        thread.scheduleWithFixedDelay(this::rollUp, ROLL_UP_EVERY_MINUTES, ROLL_UP_EVERY_MINUTES, TimeUnit.MINUTES);
        return this;
    }

    static final long ROLL_UP_EVERY_MINUTES = 10;

    private void rollUp() {
        try {
            int folded = store.rollUp(System.currentTimeMillis() - RoomStats.FINE_FOR_MILLIS);
            if (folded > 0) {
                log.debug("[stats] {} viewer samples rolled up to minutes", folded);
            }
        } catch (RuntimeException e) {
            log.warn("[stats] roll-up failed; tried again in {} min: {}", ROLL_UP_EVERY_MINUTES, e.toString());
        }
    }

    synchronized void joined(String roomId, String appId, String viewerId) {
        long now = System.currentTimeMillis();
        Presence p = present.computeIfAbsent(new ViewerKey(roomId, appId, viewerId), k -> {
            Presence made = new Presence();
            made.countedUntil = now;
            made.firstSeen = now;
            return made;
        });
        p.connections++;
    }

    synchronized void left(String roomId, String appId, String viewerId) {
        ViewerKey k = new ViewerKey(roomId, appId, viewerId);
        Presence p = present.get(k);
        if (p == null) {
            return;
        }
        if (--p.connections == 0) {
            present.remove(k);
            pendingWatch.merge(k, System.currentTimeMillis() - p.countedUntil, Long::sum);
            if (!p.written) {
                firstSeen.put(k, p.firstSeen);
            }
        }
    }

    /** Counts {@code n} events of {@code kind} (comments, likes, gifts, calls) in a room through an app (and a component version). */
    synchronized void count(String roomId, String appId, String component, String kind, long n) {
        long now = System.currentTimeMillis();
        counts.merge(new CountKey(roomId, appId, component == null ? "" : component, now - now % 60_000, kind), n, Long::sum);
    }

    /** Writes this node's figures now (also from tests, and on close). */
    public void flush() {
        long now = System.currentTimeMillis();
        long bucket = now - now % RoomStats.BUCKET_MILLIS;
        List<StatsStore.Sample> samples = new ArrayList<>();
        realtime.localViewers().forEach((room, apps) -> apps.forEach((app, n) -> samples.add(new StatsStore.Sample(room, app, bucket, n))));
        for (LiveStream s : media.streams()) {
            samples.add(new StatsStore.Sample(s.roomId(), "", bucket, s.readerCount()));
        }
        List<StatsStore.Watch> watches = new ArrayList<>();
        List<StatsStore.Count> countList = new ArrayList<>();
        Map<ViewerKey, Long> watched;
        Map<CountKey, Long> counted;
        Map<ViewerKey, Long> firsts;
        synchronized (this) {
            for (Map.Entry<ViewerKey, Presence> e : present.entrySet()) {
                Presence p = e.getValue();
                pendingWatch.merge(e.getKey(), now - p.countedUntil, Long::sum);
                p.countedUntil = now;
                if (!p.written) {
                    firstSeen.put(e.getKey(), p.firstSeen);
                    p.written = true;
                }
            }
            watched = new HashMap<>(pendingWatch);
            counted = new HashMap<>(counts);
            firsts = new HashMap<>(firstSeen);
            pendingWatch.clear();
            counts.clear();
            firstSeen.clear();
        }
        watched.forEach((k, ms) -> watches.add(new StatsStore.Watch(k.roomId(), k.appId(), k.viewerId(), firsts.getOrDefault(k, now), ms)));
        firsts.forEach((k, t) -> {
            if (!watched.containsKey(k)) {
                watches.add(new StatsStore.Watch(k.roomId(), k.appId(), k.viewerId(), t, 0));
            }
        });
        counted.forEach((k, n) -> countList.add(new StatsStore.Count(k.roomId(), k.appId(), k.component(), k.minute(), k.kind(), n)));
        if (samples.isEmpty() && watches.isEmpty() && countList.isEmpty()) {
            return;
        }
        try {
            store.flush(new StatsStore.Flush(realtime.nodeId(), samples, watches, countList));
        } catch (RuntimeException e) {
            log.warn("[stats] {} samples, {} viewers, {} counters not written; kept for the next write: {}", samples.size(),
                    watches.size(), countList.size(), e.toString());
            synchronized (this) {
                watched.forEach((k, ms) -> pendingWatch.merge(k, ms, Long::sum));
                counted.forEach((k, n) -> counts.merge(k, n, Long::sum));
                firsts.forEach(firstSeen::putIfAbsent);
            }
        }
    }

    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
    }
}
