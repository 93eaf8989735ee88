package io.openlive.server.realtime;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.openlive.engine.realtime.Priority;
import io.openlive.engine.realtime.RoomMessage;
import io.openlive.engine.realtime.TokenBucket;
import io.openlive.protocol.realtime.Envelopes;
import io.vertx.core.Context;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One viewer's WebSocket in a room. Its membership (topics, recovery, closing) lives on the room's event loop; its
 * writing (the backlog of a socket that does not keep up) lives on the socket's own event loop, {@link #loop}, where
 * every write is made, so that no write crosses threads on its own: the room hands each loop one task per batch
 * ({@link FanOutPlan}) and replies travel as one task each, in the order the room made them.
 *
 * <p>Shared batch frames go out while the socket keeps up; when it does not, high-priority messages wait in a bounded
 * backlog, the rest are dropped and counted, and the connection checks back every tick until it has caught up (only
 * connections behind do), closing itself when stuck too long.
 */
final class RealtimeConnection {
    final String id;
    final Viewer viewer;
    final String appId;
    /** The socket's event loop: every write to it is made there. */
    final EventLoop loop;
    private final ChannelHandlerContext egress;
    private final Channel channel;
    private final Context roomContext;
    private final Consumer<String> closer;
    private final RealtimeConfig config;
    final TokenBucket calls;
    final TokenBucket comments;

    // on the room's event loop
    private final TreeSet<String> topics = new TreeSet<>(Set.of("system"));
    private String subscriptionKey;
    /** While recovering from {@code since}, live messages wait here until the history has been sent. */
    List<RoomMessage> recovering;
    /** The history it asked for, once it has come; sent with the next batch ({@link RoomChannel}). */
    io.openlive.engine.realtime.Recovery recovery;
    long recoverySince;
    long refusalWindowStart = System.nanoTime();
    int refusedInWindow;
    /** Set on the room's event loop when the room lets the connection go; read on the socket's loop too. */
    volatile boolean closed;
    /** The app secret that signed this viewer's token (null for anonymous viewers): a rotation closes the connection. */
    String signedWith;

    // on the socket's event loop
    /** Made only for a connection that fell behind: most never need one. */
    private List<byte[]> backlog;
    private long dropped;
    private long stuckSince;
    private ScheduledFuture<?> catchUp;

    RealtimeConnection(String id, Viewer viewer, String appId, ChannelHandlerContext ctx, Context roomContext, Consumer<String> closer,
                       RealtimeConfig config, long now) {
        this.id = id;
        this.viewer = viewer;
        this.appId = appId;
        this.channel = ctx.channel();
        this.loop = channel.eventLoop();
        this.egress = io.openlive.server.internal.NettyAccess.egress(ctx);
        this.roomContext = roomContext;
        this.closer = closer;
        this.config = config;
        this.calls = new TokenBucket(config.callsPerSecond(), config.callsPerSecond() * 2.0, now);
        this.comments = new TokenBucket(config.commentsPerViewerSecond(), 5, now);
        this.subscriptionKey = key();
    }

    /**
     * Anonymous viewers share batch frames only with anonymous viewers of the same app: what they are sent of presence
     * is cut to their own app ({@link RoomChannel}).
     */
    private String key() {
        return String.join(",", topics) + (viewer.anonymous() ? "|anonymous@" + appId : "");
    }

    /** Subscribed topics as one canonical string: connections with the same key share batch frames. */
    String subscriptionKey() {
        return subscriptionKey;
    }

    boolean wants(String topic) {
        return topics.contains(topic);
    }

    void subscribe(List<String> add) {
        topics.addAll(add);
        subscriptionKey = key();
    }

    void unsubscribe(List<String> remove) {
        remove.forEach(t -> {
            if (!t.equals("system")) {
                topics.remove(t);
            }
        });
        subscriptionKey = key();
    }

    /** On the socket's loop: a shared batch frame and the messages in it; the frame is not released here. */
    void deliver(ByteBuf frame, List<RoomMessage> messages, long nowMillis) {
        if (closed || !channel.isActive()) {
            return;
        }
        if (backlog == null && channel.isWritable()) {
            egress.writeAndFlush(frame.retainedDuplicate(), egress.voidPromise());
            return;
        }
        for (RoomMessage m : messages) {
            if (m.priority() == Priority.HIGH) {
                backlog().add(m.utf8());
            } else {
                dropped++;
            }
        }
        fellBehind(nowMillis, "undelivered high-priority messages");
    }

    /** On the room's loop: one envelope for this connection alone (results, errors, recovery), after what the room sent it before. */
    void send(String json) {
        send(json.getBytes(StandardCharsets.UTF_8));
    }

    void send(byte[] json) {
        if (closed) {
            return;
        }
        if (loop.inEventLoop()) {
            reply(json);
            return;
        }
        try {
            loop.execute(() -> reply(json));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the socket's loop is shutting down with the node: nothing is written there any more
        }
    }

    /** On the socket's loop. A reply made before the room let go of the connection still goes (a ban's notice, say). */
    private void reply(byte[] json) {
        if (!channel.isActive()) {
            return;
        }
        if (backlog != null || !channel.isWritable()) {
            backlog().add(json);
            fellBehind(System.currentTimeMillis(), "undelivered replies");
            return;
        }
        egress.writeAndFlush(WebSocketFrames.text(channel.alloc(), json), egress.voidPromise());
    }

    private List<byte[]> backlog() {
        if (backlog == null) {
            backlog = new ArrayList<>();
        }
        return backlog;
    }

    /** On the socket's loop: the connection is behind; it checks back every tick until it has caught up. */
    private void fellBehind(long nowMillis, String what) {
        if (stuckSince == 0) {
            stuckSince = nowMillis;
        }
        if (backlog != null && backlog.size() > config.backlogLimit()) {
            closeFromLoop("cannot keep up: more than " + config.backlogLimit() + " " + what);
            return;
        }
        if (catchUp == null) {
            catchUp = loop.schedule(this::catchUp, config.tickMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** On the socket's loop: drains the backlog of a connection that can take it again, or closes one stuck too long. */
    private void catchUp() {
        catchUp = null;
        if (closed || !channel.isActive()) {
            return;
        }
        long now = System.currentTimeMillis();
        if (!channel.isWritable()) {
            if (now - stuckSince > config.stuckMillis()) {
                closeFromLoop("stuck: not reading for " + (now - stuckSince) + " ms");
            } else {
                catchUp = loop.schedule(this::catchUp, config.tickMillis(), TimeUnit.MILLISECONDS);
            }
            return;
        }
        List<byte[]> waiting = backlog == null ? List.of() : backlog;
        byte[] skipped = dropped > 0 ? Envelopes.skipped("*", dropped).getBytes(StandardCharsets.UTF_8) : null;
        backlog = null;
        dropped = 0;
        stuckSince = 0;
        if (!waiting.isEmpty() || skipped != null) {
            egress.writeAndFlush(WebSocketFrames.array(channel.alloc(), waiting, skipped), egress.voidPromise());
        }
    }

    private void closeFromLoop(String reason) {
        roomContext.runOnContext(v -> close(reason));
    }

    /** The close reason when the node shuts down; the socket then closes with 1001 (going away) rather than 1008. */
    static final String SHUTDOWN = "server shutting down";

    /** On the room's loop. */
    void close(String reason) {
        if (!closed) {
            closed = true;
            closer.accept(reason);
        }
    }
}
