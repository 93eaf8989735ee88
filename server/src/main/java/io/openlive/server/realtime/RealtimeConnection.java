package io.openlive.server.realtime;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.openlive.engine.realtime.Priority;
import io.openlive.engine.realtime.RoomMessage;
import io.openlive.engine.realtime.TokenBucket;
import io.openlive.protocol.realtime.Envelopes;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * One viewer's WebSocket in a room. All state is touched on the room's event loop. Writes go to the socket as
 * ready WebSocket frames: shared batch frames while the socket keeps up; when it does not, high-priority messages wait in
 * a bounded backlog, the rest are dropped and counted, and a viewer stuck too long is closed.
 */
final class RealtimeConnection {
    final String id;
    final Viewer viewer;
    final String appId;
    private final ChannelHandlerContext egress;
    private final io.netty.channel.Channel channel;
    private final Consumer<String> closer;
    private final RealtimeConfig config;
    final TokenBucket calls;
    final TokenBucket comments;

    private final TreeSet<String> topics = new TreeSet<>(Set.of("system"));
    private String subscriptionKey;
    private final List<String> backlog = new ArrayList<>();
    private long dropped;
    private long stuckSince;
    /** While recovering from {@code since}, live messages wait here until the history has been sent. */
    List<RoomMessage> recovering;
    long refusalWindowStart = System.nanoTime();
    int refusedInWindow;
    boolean closed;
    /** The app secret that signed this viewer's token (null for anonymous viewers): a rotation closes the connection. */
    String signedWith;

    RealtimeConnection(String id, Viewer viewer, String appId, ChannelHandlerContext ctx, Consumer<String> closer, RealtimeConfig config, long now) {
        this.id = id;
        this.viewer = viewer;
        this.appId = appId;
        this.channel = ctx.channel();
        this.egress = io.openlive.server.internal.NettyAccess.egress(ctx);
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

    /** A shared batch frame and the messages in it; the frame is not released here. */
    void deliver(ByteBuf frame, List<RoomMessage> messages, long nowMillis) {
        if (closed) {
            return;
        }
        if (recovering != null) {
            recovering.addAll(messages);
            return;
        }
        if (backlog.isEmpty() && channel.isWritable()) {
            egress.write(frame.retainedDuplicate(), egress.voidPromise());
            return;
        }
        for (RoomMessage m : messages) {
            if (m.priority() == Priority.HIGH) {
                backlog.add(m.json());
            } else {
                dropped++;
            }
        }
        if (stuckSince == 0) {
            stuckSince = nowMillis;
        }
        if (backlog.size() > config.backlogLimit()) {
            close("cannot keep up: more than " + config.backlogLimit() + " undelivered high-priority messages");
        }
    }

    /** Sends one envelope to this connection alone (results, errors, recovery). */
    void send(String json) {
        if (closed) {
            return;
        }
        if (!backlog.isEmpty() || !channel.isWritable()) {
            backlog.add(json);
            if (backlog.size() > config.backlogLimit()) {
                close("cannot keep up: more than " + config.backlogLimit() + " undelivered replies");
            }
            return;
        }
        egress.writeAndFlush(WebSocketFrames.text(channel.alloc(), json), egress.voidPromise());
    }

    /** Once per tick: drains the backlog of a connection that can take it again, or closes one stuck too long. */
    void catchUp(long nowMillis) {
        if (closed || (backlog.isEmpty() && dropped == 0)) {
            return;
        }
        if (!channel.isWritable()) {
            if (stuckSince > 0 && nowMillis - stuckSince > config.stuckMillis()) {
                close("stuck: not reading for " + (nowMillis - stuckSince) + " ms");
            }
            return;
        }
        StringBuilder batch = new StringBuilder("[");
        for (String json : backlog) {
            batch.append(json).append(',');
        }
        if (dropped > 0) {
            batch.append(Envelopes.skipped("*", dropped)).append(',');
        }
        batch.setCharAt(batch.length() - 1, ']');
        backlog.clear();
        dropped = 0;
        stuckSince = 0;
        egress.writeAndFlush(WebSocketFrames.text(channel.alloc(), batch), egress.voidPromise());
    }

    void flush() {
        if (!closed) {
            egress.flush();
        }
    }

    /** The close reason when the node shuts down; the socket then closes with 1001 (going away) rather than 1008. */
    static final String SHUTDOWN = "server shutting down";

    void close(String reason) {
        if (!closed) {
            closed = true;
            closer.accept(reason);
        }
    }
}
