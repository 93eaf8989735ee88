package io.openlive.server.realtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openlive.engine.realtime.BusConfig;
import io.openlive.engine.realtime.History;
import io.openlive.engine.realtime.Priority;
import io.openlive.engine.realtime.Recovery;
import io.openlive.engine.realtime.RoomBus;
import io.openlive.engine.realtime.RoomMessage;
import io.openlive.protocol.realtime.Envelopes;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The room bus of several nodes on Redis. A Lua script takes the room's next sequence number, appends the message to the
 * room's capped history list and publishes it in one atomic step, so every node receives a room's messages in sequence
 * order. Likes are a shared counter; presence is a hash per node and room with an expiry, so a node that dies drops out.
 * A room's sequence number and like count expire 30 days after their last change; a client that comes back after that
 * is ahead of the room's numbering and is told to resync.
 * Scripts run by digest ({@link RedisScript}). If the subscription connection drops, it is made again with back-off and
 * every room's listener is told of the gap ({@link RedisSubscriber}).
 * Messages travel as {@code "seq at priority topic envelope-json"}.
 */
public final class RedisRoomBus implements RoomBus {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "openlive:room:";

    private static final RedisScript PUBLISH = new RedisScript("""
            local seq = redis.call('INCR', KEYS[1])
            redis.call('PEXPIRE', KEYS[1], 2592000000)
            local json = '{"op":"msg","topic":' .. ARGV[5] .. ',"seq":' .. seq .. ARGV[8] .. ',"data":' .. ARGV[3] .. '}'
            local payload = seq .. ' ' .. ARGV[4] .. ' ' .. ARGV[2] .. ' ' .. ARGV[1] .. ' ' .. json
            redis.call('RPUSH', KEYS[2], payload)
            redis.call('LTRIM', KEYS[2], -tonumber(ARGV[6]), -1)
            redis.call('PEXPIRE', KEYS[2], ARGV[7])
            redis.call('PUBLISH', KEYS[3], payload)
            return seq
            """);
    private static final RedisScript LIKES = new RedisScript("""
            local total = redis.call('INCRBY', KEYS[1], ARGV[1])
            redis.call('PEXPIRE', KEYS[1], 2592000000)
            return total
            """);
    private static final RedisScript SINCE = new RedisScript("""
            local last = tonumber(redis.call('GET', KEYS[1]) or '0')
            local kept = redis.call('LRANGE', KEYS[2], 0, -1)
            table.insert(kept, 1, tostring(last))
            return kept
            """);
    private static final RedisScript REPORT = new RedisScript("""
            redis.call('DEL', KEYS[1])
            for i = 3, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
            if #ARGV > 2 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            redis.call('ZADD', KEYS[2], ARGV[1], KEYS[1])
            redis.call('PEXPIRE', KEYS[2], ARGV[2] * 10)
            return 1
            """);
    private static final RedisScript PRESENCE = new RedisScript("""
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
            local out = {}
            for _, key in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
              local h = redis.call('HGETALL', key)
              for i = 1, #h do table.insert(out, h[i]) end
            end
            return out
            """);

    private final Redis client;
    private final RedisAPI api;
    private final BusConfig config;
    private final Redis subscriberClient;
    private final RedisSubscriber subscriber;
    private final io.openlive.engine.realtime.MediaClock media;

    private RedisRoomBus(Redis client, Redis subscriberClient, RedisSubscriber subscriber, BusConfig config,
                         io.openlive.engine.realtime.MediaClock media) {
        this.media = media;
        this.client = client;
        this.api = RedisAPI.api(client);
        this.subscriberClient = subscriberClient;
        this.subscriber = subscriber;
        this.config = config;
    }

    /**
     * Connects (blocking, at start-up): one pooled client for commands and one connection for subscriptions, which
     * comes back by itself after Redis restarts.
     */
    public static RedisRoomBus connect(Vertx vertx, String url, BusConfig config) {
        return connect(vertx, url, config, io.openlive.engine.realtime.MediaClock.NONE);
    }

    /** {@code media} stamps the messages this node publishes with the room's media time, when the room is live here. */
    public static RedisRoomBus connect(Vertx vertx, String url, BusConfig config, io.openlive.engine.realtime.MediaClock media) {
        Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString(url).setMaxPoolSize(8).setMaxPoolWaiting(4096));
        Redis subscriberClient = Redis.createClient(vertx, new RedisOptions().setConnectionString(url));
        try {
            RedisSubscriber subscriber = RedisSubscriber.connect(vertx, subscriberClient, PREFIX);
            return new RedisRoomBus(client, subscriberClient, subscriber, config, media);
        } catch (Exception e) {
            subscriberClient.close();
            client.close();
            throw new IllegalStateException("cannot connect to Redis at " + url + ": " + e.getMessage());
        }
    }

    /** True while this node listens to its rooms on Redis; false from a drop until it has resubscribed. */
    @Override
    public boolean isConnected() {
        return subscriber.isConnected();
    }

    /** Times the subscription connection was lost and made again since start. */
    @Override
    public long reconnects() {
        return subscriber.reconnects();
    }

    /**
     * {@code "seq at priority topic envelope"}: the four ASCII fields are read from the bytes, and the envelope is kept
     * as the UTF-8 it came in, never made into text on its way to the sockets.
     */
    static RoomMessage parse(String roomId, byte[] payload) {
        String[] head = new String[4];
        int start = 0;
        for (int field = 0; field < 4; field++) {
            int space = start;
            while (payload[space] != ' ') {
                space++;
            }
            head[field] = new String(payload, start, space - start, java.nio.charset.StandardCharsets.UTF_8);
            start = space + 1;
        }
        return new RoomMessage(roomId, head[3], Long.parseLong(head[0]), Priority.of(head[2].charAt(0)), Long.parseLong(head[1]),
                java.util.Arrays.copyOfRange(payload, start, payload.length), null);
    }

    private static String key(String roomId, String what) {
        return PREFIX + roomId + ":" + what;
    }

    @Override
    public CompletionStage<RoomMessage> publish(String roomId, String topic, Priority priority, JsonNode data) {
        long now = System.currentTimeMillis();
        long mt = media.mtOrNone(roomId);
        String dataJson = data.toString();
        List<String> args = List.of("3", key(roomId, "seq"), key(roomId, "history"), PREFIX + roomId,
                topic, String.valueOf(priority.code()), dataJson, Long.toString(now), quote(topic),
                Integer.toString(config.historyCount()), Long.toString(config.historyAgeMillis()), mt >= 0 ? ",\"mt\":" + mt : "");
        return PUBLISH.run(api, args).map(seq -> {
            long s = seq.toLong();
            return new RoomMessage(roomId, topic, s, priority, now, Envelopes.msgUtf8(topic, s, mt, data), data);
        }).toCompletionStage();
    }

    @Override
    public CompletionStage<Void> publishEphemeral(String roomId, String topic, JsonNode data) {
        String payload = "0 " + System.currentTimeMillis() + " E " + topic + " " + Envelopes.msg(topic, 0, media.mtOrNone(roomId), data);
        return api.publish(PREFIX + roomId, payload).<Void>mapEmpty().toCompletionStage();
    }

    @Override
    public CompletionStage<Void> subscribe(String roomId, Consumer<RoomMessage> listener) {
        return subscriber.subscribe(roomId, listener).toCompletionStage();
    }

    @Override
    public CompletionStage<Void> unsubscribe(String roomId) {
        return subscriber.unsubscribe(roomId).toCompletionStage();
    }

    @Override
    public CompletionStage<Recovery> since(String roomId, long seq) {
        return SINCE.run(api, List.of("2", key(roomId, "seq"), key(roomId, "history"))).map(r -> {
            long last = Long.parseLong(r.get(0).toString());
            long oldest = System.currentTimeMillis() - config.historyAgeMillis();
            List<RoomMessage> kept = new ArrayList<>();
            for (int i = 1; i < r.size(); i++) {
                RoomMessage m = parse(roomId, r.get(i).toBytes());
                if (m.at() >= oldest) {
                    kept.add(m);
                }
            }
            return History.since(kept, seq, last);
        }).toCompletionStage();
    }

    @Override
    public CompletionStage<Long> addLikes(String roomId, long delta) {
        return LIKES.run(api, List.of("1", key(roomId, "likes"), Long.toString(delta))).map(Response::toLong).toCompletionStage();
    }

    @Override
    public CompletionStage<Void> reportPresence(String nodeId, String roomId, Map<String, Integer> perApp) {
        List<String> args = new ArrayList<>(List.of("2", key(roomId, "presence:" + nodeId), key(roomId, "nodes"),
                Long.toString(System.currentTimeMillis()), Long.toString(config.presenceTtlMillis())));
        perApp.forEach((app, n) -> {
            args.add(app);
            args.add(Integer.toString(n));
        });
        return REPORT.run(api, args).<Void>mapEmpty().toCompletionStage();
    }

    @Override
    public CompletionStage<Map<String, Integer>> presence(String roomId) {
        String cutoff = Long.toString(System.currentTimeMillis() - config.presenceTtlMillis());
        return PRESENCE.run(api, List.of("1", key(roomId, "nodes"), cutoff)).map(r -> {
            Map<String, Integer> totals = new HashMap<>();
            for (int i = 0; i + 1 < r.size(); i += 2) {
                totals.merge(r.get(i).toString(), r.get(i + 1).toInteger(), Integer::sum);
            }
            return totals;
        }).toCompletionStage();
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public void close() {
        subscriber.close();
        subscriberClient.close();
        client.close();
    }
}
