package io.openlive.server.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.openlive.engine.platform.Moderation;
import io.openlive.engine.realtime.Priority;
import io.openlive.engine.realtime.Recovery;
import io.openlive.engine.realtime.RoomBus;
import io.openlive.engine.realtime.RoomMessage;
import io.openlive.engine.realtime.TokenBucket;
import io.openlive.protocol.realtime.Envelopes;
import io.vertx.core.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A room's realtime state on this node, confined to one event loop: its connections, the messages arriving from the bus,
 * and the tick that batches them. Each tick, busy comment streams are sampled, only the latest like total and presence
 * are kept, and each distinct set of subscriptions gets one frame whose bytes every such connection shares.
 */
final class RoomChannel {
    private static final Logger log = LoggerFactory.getLogger(RoomChannel.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    final String roomId;
    final Context context;
    private final RealtimeHub hub;
    private final RoomBus bus;
    private final RealtimeConfig config;
    private final Set<RealtimeConnection> connections = new LinkedHashSet<>();
    /** Connections still being sent what they missed: live messages wait in their {@code recovering} list. */
    private final List<RealtimeConnection> recoveringNow = new ArrayList<>();
    /**
     * Recovering connections already replayed through a seq the live stream here has not reached: a message the history
     * held can still be on its way over the bus (the history is read on another connection than the one messages come
     * in on). Until the stream passes that seq they take batches one by one, without what the replay sent them.
     */
    private final Map<RealtimeConnection, Long> replayedAhead = new HashMap<>();
    /** The highest seq a batch here has taken from the bus: the bus delivers a room's messages in seq order. */
    private long streamedThrough;
    private List<RoomMessage> pending = new ArrayList<>();
    /** Who a batch goes to; null after a join, a leave or a change of subscriptions, made again by the next batch. */
    private FanOutPlan plan;
    private long tickTimer;
    /** The current batching interval: {@code tickMillis} when idle, longer while fan-out takes much of it. */
    private long intervalMillis;
    private final long likeTimer;
    private final long presenceTimer;
    final TokenBucket roomComments;
    /** Room and per-viewer allowances for component topics and gifts. */
    final FanOutLimits fanOut = new FanOutLimits(System.nanoTime());
    final Map<String, Long> lastCommentAt = new HashMap<>();
    volatile Moderation moderation = Moderation.NONE;
    JsonNode pinned;
    String title = "";
    String state = "scheduled";
    /** Live and ended announcements received from the bus: a state read that one overtook is not applied. */
    int stateAnnouncements;
    /** Per host app: topics its instance's components may subscribe to and emit (from their manifests). */
    final Map<String, RoomAccess.Topics> appTopics = new HashMap<>();
    long likeTotal;
    int viewersTotal;
    long pendingLikes;
    private long lastBatchNanos = System.nanoTime();
    boolean closed;
    /** Connections here per host app, as of the last presence report; read by the statistics thread. */
    volatile Map<String, Integer> localPerApp = Map.of();
    /** Completes when this node listens to the room on the bus; joins wait for it. */
    java.util.concurrent.CompletionStage<Void> subscribed = java.util.concurrent.CompletableFuture.completedFuture(null);

    RoomChannel(String roomId, Context context, RealtimeHub hub, RoomBus bus, RealtimeConfig config) {
        this.roomId = roomId;
        this.context = context;
        this.hub = hub;
        this.bus = bus;
        this.config = config;
        this.roomComments = new TokenBucket(config.roomCommentsPerSecond(), config.roomCommentsPerSecond(), System.nanoTime());
        var vertx = context.owner();
        // whichever thread creates the channel, its work runs on the room's context
        this.intervalMillis = config.tickMillis();
        scheduleTick(intervalMillis);
        this.likeTimer = vertx.setPeriodic(config.likeFlushMillis(), id -> context.runOnContext(v -> flushLikes()));
        this.presenceTimer = vertx.setPeriodic(config.presenceMillis(), id -> context.runOnContext(v -> reportPresence()));
    }

    /** From the bus, on any thread. */
    /** The room's media time on this node, while it is live here. */
    java.util.OptionalLong mediaTime() {
        return hub.media().mediaTime(roomId);
    }

    void onMessage(RoomMessage m) {
        context.runOnContext(v -> {
            if (m.isGap()) {
                resyncAll(m.json());
                return;
            }
            if (m.topic().equals("product.pin") && m.priority() == Priority.HIGH) {
                pinned = m.dataNode();
            } else if (m.topic().equals("like")) {
                long total = m.dataNode().path("total").asLong(likeTotal);
                if (total < likeTotal) {
                    // Totals only grow. Nodes publish theirs independently, so one counted earlier can arrive later:
                    // passing it on would show viewers a count going backwards, and hide the larger one in this tick.
                    return;
                }
                likeTotal = total;
            } else if (m.topic().equals("system")) {
                JsonNode d = m.dataNode();
                if (d.path("type").asText().equals("unmount") && d.has("app")) {
                    // one app revoked its delivery: its viewers alone unmount; the version may be live in the others
                    hub.reloadTopics(this);
                    String app = d.path("app").asText();
                    for (RealtimeConnection c : connections) {
                        if (c.appId.equals(app)) {
                            c.send(m.utf8());
                        }
                    }
                    return;
                }
                switch (d.path("type").asText()) {
                    case "moderation" -> hub.reloadModeration(this, d);
                    case "live", "ended" -> {
                        state = d.path("type").asText();
                        stateAnnouncements++;
                    }
                    case "unmount", "instance" -> hub.reloadTopics(this);
                    default -> { }
                }
            }
            pending.add(m);
        });
    }

    /** The bus may have lost messages of this room: every connection must reload the room's state. */
    private void resyncAll(String reason) {
        log.info("[realtime room={}] {} connections told to resync: {}", roomId, connections.size(), reason);
        for (RealtimeConnection c : connections) {
            c.send(Envelopes.resync(reason));
        }
        // what they were replayed may never come over the bus now; they reload anyway
        List.copyOf(replayedAhead.keySet()).forEach(this::endRecovery);
    }

    /** The {@code since} of a join that asked for no recovery. */
    static final long NO_RECOVERY = -1;

    /**
     * Adds a connection; with {@code since >= 0} it first receives what it missed after that seq (or a resync), so
     * {@code since=0} recovers everything kept. On the room's context.
     */
    void join(RealtimeConnection c, long since) {
        connections.add(c);
        plan = null;
        StatsRecorder stats = hub.stats();
        if (stats != null) {
            stats.joined(roomId, c.appId, c.viewer.id());
        }
        if (since < 0) {
            return;
        }
        c.recovering = new ArrayList<>();
        recoveringNow.add(c);
        bus.since(roomId, since).whenComplete((recovery, error) -> context.runOnContext(v -> recovered(c, since, recovery, error)));
    }

    /**
     * History has come. It is sent at the next batch, with what arrived meanwhile: messages the history already holds
     * may still be waiting in {@link #pending} (they are delivered in order behind the join), and that batch must not
     * send them a second time.
     */
    private void recovered(RealtimeConnection c, long since, Recovery recovery, Throwable error) {
        if (c.closed || c.recovering == null) {
            return;
        }
        if (error != null || recovery.gap()) {
            endRecovery(c);
            c.send(Envelopes.resync(error != null ? "history unavailable" : "history no longer reaches seq " + since));
            return;
        }
        c.recoverySince = since;
        c.recovery = recovery;
    }

    /**
     * At a batch, after it went to everyone else: the connections whose history has come get it, and the batch; those
     * replayed past the live stream get the batch without what they were sent already. A connection joins the shared
     * batches once the stream here has passed its replay, so that each connection's seqs only ever go up.
     */
    private void finishRecoveries(List<RoomMessage> batch, byte[] skippedNote) {
        for (RealtimeConnection c : List.copyOf(recoveringNow)) {
            long through;
            Long ahead = replayedAhead.get(c);
            if (ahead != null) {
                through = sendAfter(c, ahead, batch, skippedNote);
            } else {
                c.recovering.addAll(batch);
                if (c.recovery == null) {
                    continue;
                }
                through = HistoryReplay.send(c, appTopics.getOrDefault(c.appId, RoomAccess.Topics.of(List.of())), c.recoverySince,
                        c.recovery, c.recovering);
                c.recovering = List.of();
                c.recovery = null;
            }
            if (through <= streamedThrough) {
                endRecovery(c);
            } else {
                replayedAhead.put(c, through);
            }
        }
    }

    /**
     * The batch for one connection replayed through {@code through}: numbered messages at or below it are left out (it
     * has them), the rest as the shared frame of its subscriptions would carry them. Answers how far it is through now.
     */
    private long sendAfter(RealtimeConnection c, long through, List<RoomMessage> batch, byte[] skippedNote) {
        List<byte[]> envelopes = new ArrayList<>();
        long now = through;
        for (RoomMessage m : batch) {
            if (m.seq() != 0 && m.seq() <= through) {
                continue;
            }
            now = Math.max(now, m.seq());
            if (c.wants(m.topic())) {
                envelopes.add(m.topic().equals("presence") && c.viewer.anonymous() ? presenceFor(c.appId, m) : m.utf8());
            }
        }
        byte[] note = skippedNote != null && c.wants("comment") ? skippedNote : null;
        if (!envelopes.isEmpty() || note != null) {
            c.send(jsonArray(envelopes, note));
        }
        return now;
    }

    private static byte[] jsonArray(List<byte[]> envelopes, byte[] last) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write('[');
        for (byte[] e : envelopes) {
            if (out.size() > 1) {
                out.write(',');
            }
            out.writeBytes(e);
        }
        if (last != null) {
            if (out.size() > 1) {
                out.write(',');
            }
            out.writeBytes(last);
        }
        out.write(']');
        return out.toByteArray();
    }

    /** From the next batch on, the connection takes live batches like every other. */
    private void endRecovery(RealtimeConnection c) {
        c.recovering = null;
        c.recovery = null;
        recoveringNow.remove(c);
        replayedAhead.remove(c);
        plan = null;
    }

    /** A join that never completed (its client went away first) leaves no empty channel with timers running. */
    void closeIfEmpty() {
        if (connections.isEmpty()) {
            close();
        }
    }

    void leave(RealtimeConnection c) {
        boolean removed = connections.remove(c);
        if (removed) {
            plan = null;
            recoveringNow.remove(c);
            replayedAhead.remove(c);
            StatsRecorder stats = hub.stats();
            if (stats != null) {
                stats.left(roomId, c.appId, c.viewer.id());
            }
        }
        if (removed && connections.isEmpty()) {
            close();
        }
    }

    /** The delivery plan, made again only after a join, a leave or a change of subscriptions. */
    private FanOutPlan plan() {
        if (plan == null) {
            plan = FanOutPlan.of(connections);
        }
        return plan;
    }

    /** A connection's subscriptions changed: its batch group may too. */
    void regroup() {
        plan = null;
    }

    RealtimeHub hub() {
        return hub;
    }

    RoomBus hubBus() {
        return bus;
    }

    int size() {
        return connections.size();
    }

    Set<RealtimeConnection> connections() {
        return connections;
    }

    /** Tells a banned viewer's connections on this node, and closes them. */
    void closeViewer(String viewerId, String reason) {
        for (RealtimeConnection c : List.copyOf(connections)) {
            if (c.viewer.id().equals(viewerId)) {
                c.send(Envelopes.msg("system", 0, JSON.createObjectNode().put("type", "banned")));
                c.close(reason);
            }
        }
    }

    /** The node is going away: tells every connection here so, and closes it (1001). On the room's context. */
    void shutdown() {
        for (RealtimeConnection c : List.copyOf(connections)) {
            c.send(Envelopes.msg("system", 0, JSON.createObjectNode().put("type", "shutdown")));
            c.close(RealtimeConnection.SHUTDOWN);
        }
    }

    /** Batches start every interval, whatever the last one took (a batch that overruns is followed at once). */
    private void scheduleTick(long delayMillis) {
        tickTimer = context.owner().setTimer(Math.max(1, delayMillis), id -> context.runOnContext(v -> {
            if (closed) {
                return;
            }
            long started = System.nanoTime();
            tick();
            double work = (System.nanoTime() - started) / 1_000_000.0;
            adapt(work);
            scheduleTick(intervalMillis - (long) work);
        }));
    }

    /**
     * Under load, fewer and larger batches: one write per connection per batch is the cost that grows with viewers, so
     * when a batch takes more than three quarters of its interval the interval doubles (up to {@link RealtimeConfig#maxTickMillis}),
     * and it comes back down when batches are quick again.
     */
    private void adapt(double workMillis) {
        if (workMillis > intervalMillis * 0.75) {
            intervalMillis = Math.min(config.maxTickMillis(), intervalMillis * 2);
        } else if (workMillis < intervalMillis / 8.0 && intervalMillis > config.tickMillis()) {
            intervalMillis = Math.max(config.tickMillis(), intervalMillis / 2);
        }
    }

    /**
     * One batch: busy comment streams sampled, only the latest ephemeral values kept; one frame per subscription set,
     * handed to each event loop's connections in one task ({@link FanOutPlan}). Connections that fell behind catch up
     * on their own loops ({@link RealtimeConnection}): a tick does not visit every connection.
     */
    private void tick() {
        if (pending.isEmpty()) {
            if (!recoveringNow.isEmpty()) {
                finishRecoveries(List.of(), null);
            }
            return;
        }
        long now = System.currentTimeMillis();
        List<RoomMessage> messages = pending;
        pending = new ArrayList<>();
        long nowNanos = System.nanoTime();
        // the budget follows the time since the last batch: a late timer must not turn into sampling
        long elapsedMillis = Math.max(config.tickMillis(), (nowNanos - lastBatchNanos) / 1_000_000);
        lastBatchNanos = nowNanos;
        List<RoomMessage> batch = new ArrayList<>(messages.size());
        Map<String, RoomMessage> latestEphemeral = new LinkedHashMap<>();
        long commentBudget = Math.max(1, config.commentsPerSecond() * Math.min(elapsedMillis, 1000) / 1000);
        long skipped = 0;
        for (RoomMessage m : messages) {
            streamedThrough = Math.max(streamedThrough, m.seq());
            if (m.priority() == Priority.EPHEMERAL) {
                latestEphemeral.put(m.topic(), m);
            } else if (m.priority() == Priority.NORMAL && m.topic().equals("comment")) {
                if (commentBudget-- > 0) {
                    batch.add(m);
                } else {
                    skipped++;
                }
            } else {
                batch.add(m);
            }
        }
        batch.addAll(latestEphemeral.values());
        byte[] skippedNote = skipped > 0 ? Envelopes.skipped("comment", skipped).getBytes(StandardCharsets.UTF_8) : null;
        FanOutPlan plan = plan();
        List<RealtimeConnection> groups = plan.groups();
        ByteBuf[] frames = new ByteBuf[groups.size()];
        List<List<RoomMessage>> selected = new ArrayList<>(groups.size());
        try {
            for (int g = 0; g < frames.length; g++) {
                RealtimeConnection first = groups.get(g);
                List<RoomMessage> chosen = new ArrayList<>();
                List<byte[]> envelopes = new ArrayList<>();
                for (RoomMessage m : batch) {
                    if (first.wants(m.topic())) {
                        chosen.add(m);
                        envelopes.add(m.topic().equals("presence") && first.viewer.anonymous() ? presenceFor(first.appId, m) : m.utf8());
                    }
                }
                byte[] note = skippedNote != null && first.wants("comment") ? skippedNote : null;
                selected.add(chosen);
                if (!envelopes.isEmpty() || note != null) {
                    frames[g] = WebSocketFrames.array(PooledByteBufAllocator.DEFAULT, envelopes, note);
                }
            }
            plan.deliver(frames, selected, now);
            finishRecoveries(batch, skippedNote);
        } finally {
            for (ByteBuf f : frames) {
                if (f != null) {
                    f.release();
                }
            }
        }
    }

    /** Presence as an anonymous viewer of {@code appId} sees it: the room's total and its own app's count only. */
    static byte[] presenceFor(String appId, RoomMessage m) {
        JsonNode d = m.dataNode();
        ObjectNode own = JSON.createObjectNode().put("total", d.path("total").asInt());
        if (d.path("apps").has(appId)) {
            own.putObject("apps").put(appId, d.path("apps").path(appId).asInt());
        } else {
            own.putObject("apps");
        }
        return Envelopes.msgUtf8("presence", 0, -1, own);
    }

    private void flushLikes() {
        if (pendingLikes == 0) {
            return;
        }
        long delta = pendingLikes;
        pendingLikes = 0;
        bus.addLikes(roomId, delta).thenCompose(total -> bus.publishEphemeral(roomId, "like",
                        JSON.createObjectNode().put("total", total).put("delta", delta)))
                .exceptionally(e -> {
                    log.warn("[rt room={}] likes not counted: {}", roomId, e.toString());
                    return null;
                });
    }

    private void reportPresence() {
        Map<String, Integer> perApp = new HashMap<>();
        for (RealtimeConnection c : connections) {
            perApp.merge(c.appId, 1, Integer::sum);
        }
        localPerApp = Map.copyOf(perApp);
        bus.reportPresence(hub.nodeId(), roomId, perApp)
                .thenCompose(v -> bus.presence(roomId))
                .whenComplete((totals, error) -> {
                    if (error != null) {
                        log.warn("[rt room={}] presence not reported: {}", roomId, error.toString());
                        return;
                    }
                    ObjectNode data = JSON.createObjectNode();
                    int total = totals.values().stream().mapToInt(Integer::intValue).sum();
                    data.put("total", total);
                    ObjectNode apps = data.putObject("apps");
                    totals.forEach(apps::put);
                    context.runOnContext(v -> {
                        viewersTotal = total;
                        pending.add(new RoomMessage(roomId, "presence", 0, Priority.EPHEMERAL, System.currentTimeMillis(),
                                Envelopes.msgUtf8("presence", 0, hub.media().mtOrNone(roomId), data), data));
                    });
                });
    }

    private void close() {
        if (closed) {
            return;
        }
        closed = true;
        var vertx = context.owner();
        vertx.cancelTimer(tickTimer);
        vertx.cancelTimer(likeTimer);
        vertx.cancelTimer(presenceTimer);
        flushLikes();
        bus.reportPresence(hub.nodeId(), roomId, Map.of());
        hub.closed(this);
    }
}
