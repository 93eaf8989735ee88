package io.openlive.server.realtime;

import io.openlive.engine.realtime.RoomMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The Redis connection a node listens to its rooms' channels on. When it drops (Redis restarted, a network cut), it
 * reconnects with exponential back-off from {@link #MIN_BACKOFF_MILLIS} to {@link #MAX_BACKOFF_MILLIS}, subscribes to
 * every room again, and hands each room's listener a {@link RoomMessage#gap gap}: whatever was published meanwhile never
 * reached this node, so its clients must resync. Usage:
 * {@code RedisSubscriber s = RedisSubscriber.connect(vertx, client); s.subscribe("r1", listener);}
 */
final class RedisSubscriber {
    private static final Logger log = LoggerFactory.getLogger(RedisSubscriber.class);
    static final long MIN_BACKOFF_MILLIS = 100;
    static final long MAX_BACKOFF_MILLIS = 5_000;

    private final Vertx vertx;
    private final Redis client;
    private final String prefix;
    private final Map<String, Consumer<RoomMessage>> listeners = new ConcurrentHashMap<>();
    private final AtomicLong reconnects = new AtomicLong();
    /** The live connection, or null while reconnecting. Guarded by this. */
    private RedisConnection connection;
    private long backoffMillis = MIN_BACKOFF_MILLIS;
    private long retryTimer = -1;
    private boolean closed;

    private RedisSubscriber(Vertx vertx, Redis client, String prefix) {
        this.vertx = vertx;
        this.client = client;
        this.prefix = prefix;
    }

    /** Connects (blocking, at start-up): a node that cannot reach Redis at all does not start. */
    static RedisSubscriber connect(Vertx vertx, Redis client, String prefix) throws Exception {
        RedisSubscriber s = new RedisSubscriber(vertx, client, prefix);
        RedisConnection c = client.connect().await(10, TimeUnit.SECONDS);
        synchronized (s) {
            s.attach(c);
        }
        return s;
    }

    /** True while subscribed on a live connection. */
    synchronized boolean isConnected() {
        return connection != null;
    }

    /** Times the connection was lost and made again since start. */
    long reconnects() {
        return reconnects.get();
    }

    Future<Void> subscribe(String roomId, Consumer<RoomMessage> listener) {
        listeners.put(roomId, listener);
        RedisConnection c = current();
        // while reconnecting the room is subscribed with all the others, and its listener gets a gap then
        return c == null ? Future.succeededFuture() : c.send(Request.cmd(Command.SUBSCRIBE).arg(prefix + roomId)).mapEmpty();
    }

    Future<Void> unsubscribe(String roomId) {
        listeners.remove(roomId);
        RedisConnection c = current();
        return c == null ? Future.succeededFuture() : c.send(Request.cmd(Command.UNSUBSCRIBE).arg(prefix + roomId)).mapEmpty();
    }

    private synchronized RedisConnection current() {
        return connection;
    }

    private void attach(RedisConnection c) {
        connection = c;
        c.handler(this::onPush);
        c.exceptionHandler(e -> lost(c, e.toString()));
        c.endHandler(v -> lost(c, "connection closed"));
    }

    private void lost(RedisConnection c, String why) {
        synchronized (this) {
            if (c != connection || closed) {
                return; // already handled (Redis reports a drop both as an error and as the end)
            }
            connection = null;
        }
        log.warn("[bus redis] subscriber lost: {}; reconnecting, {} rooms to resubscribe", why, listeners.size());
        c.close();
        retry();
    }

    private synchronized void retry() {
        if (closed || retryTimer >= 0) {
            return; // one attempt at a time, whichever of the failure reports asks first
        }
        long delay = backoffMillis;
        backoffMillis = Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
        retryTimer = vertx.setTimer(delay, id -> {
            synchronized (this) {
                retryTimer = -1;
            }
            reconnect();
        });
    }

    private void reconnect() {
        client.connect().compose(c -> {
            Request subscribe = Request.cmd(Command.SUBSCRIBE);
            listeners.keySet().forEach(room -> subscribe.arg(prefix + room));
            synchronized (this) {
                if (closed) {
                    c.close();
                    return Future.failedFuture("closed");
                }
                attach(c);
            }
            return listeners.isEmpty() ? Future.succeededFuture(c) : c.send(subscribe).map(r -> c);
        }).onSuccess(c -> {
            synchronized (this) {
                backoffMillis = MIN_BACKOFF_MILLIS;
            }
            reconnects.incrementAndGet();
            log.info("[bus redis] subscriber reconnected; {} rooms resubscribed and told to resync", listeners.size());
            listeners.forEach((room, listener) -> listener.accept(RoomMessage.gap(room, "room bus reconnected; messages may have been lost")));
        }).onFailure(e -> {
            synchronized (this) {
                if (closed) {
                    return;
                }
                RedisConnection half = connection;
                connection = null; // a connection whose SUBSCRIBE failed is no use
                if (half != null) {
                    half.close();
                }
            }
            log.debug("[bus redis] subscriber reconnect failed: {}", e.toString());
            retry();
        });
    }

    private void onPush(Response r) {
        if (r.type() != ResponseType.PUSH && r.type() != ResponseType.MULTI) {
            return;
        }
        if (r.size() < 3 || !"message".equals(r.get(0).toString())) {
            return;
        }
        String room = r.get(1).toString().substring(prefix.length());
        Consumer<RoomMessage> listener = listeners.get(room);
        if (listener != null) {
            listener.accept(RedisRoomBus.parse(room, r.get(2).toBytes()));
        }
    }

    void close() {
        RedisConnection c;
        synchronized (this) {
            closed = true;
            if (retryTimer >= 0) {
                vertx.cancelTimer(retryTimer);
            }
            c = connection;
            connection = null;
        }
        if (c != null) {
            try {
                c.close().await(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.debug("[bus redis] subscriber close: {}", e.toString());
            }
        }
    }
}
