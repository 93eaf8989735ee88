package io.openlive.server.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlive.engine.platform.HostApps;
import io.openlive.engine.realtime.Priority;
import io.openlive.server.OpenliveServer;
import io.openlive.server.ServerConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes on the real Redis at 127.0.0.1:6379; node B publishes a stream of room messages while viewers keep joining
 * node A with {@code since} a little behind the stream. Each viewer gets the kept history replayed and then the live
 * stream, and a message can be in the history and still be on its way over pub/sub (node A's pub/sub connection goes
 * through {@link LaggingPubSubProxy}): every viewer must receive the room's sequence numbers from {@code since + 1}
 * on exactly once each, in order.
 */
class ReplayAcrossNodesTest {
    /**
     * How far node A's pub/sub stream lags behind its commands. Under load it does by tens of milliseconds now and then
     * (a join in a few hundred then got a message twice); held steady above the batching interval every join meets it.
     */
    static final long PUBSUB_LAG_MILLIS = 100;
    static final int JOINS = 40;
    static final int AT_ONCE = 4;
    static final int BURST = 20;
    static final long BURST_EVERY_MILLIS = 20;
    static final long BUDGET_MILLIS = 8_000;

    @Test
    void aViewerJoiningDuringAStreamGetsEverySeqOnceInOrder() throws Exception {
        TwoNodeRedisTest.requireRedis();
        Path dir = Files.createTempDirectory("openlive-replay-nodes");
        LaggingPubSubProxy lag = LaggingPubSubProxy.start(6379, PUBSUB_LAG_MILLIS);
        OpenliveServer a = OpenliveServer.start(ServerConfig.ephemeral(dir).withRedis(lag.url())).await();
        OpenliveServer b = OpenliveServer.start(ServerConfig.ephemeral(dir).withRedis(TwoNodeRedisTest.REDIS)).await();
        AtomicBoolean publishing = new AtomicBoolean(true);
        AtomicLong published = new AtomicLong();
        AtomicReference<Throwable> publishFailed = new AtomicReference<>();
        Thread publisher = null;
        try {
            HostApps.WithSecret shop = a.platform().apps().create(TwoNodeRedisTest.ADMIN, "Shop", "direct", List.of(), false);
            String room = a.platform().rooms().create(TwoNodeRedisTest.ADMIN, "Replay", null, List.of(shop.app().id())).id();
            // keeps the room's channel on node A alive between joins, as a room with an audience has
            try (RtClient audience = RtClient.connect(RtClient.url(a.httpPort(), room, shop.app().id(),
                    Tokens.viewer(shop.secret(), "audience", "audience"), 0))) {
                audience.awaitMsg("system", d -> d.path("type").asText().equals("welcome"), 5000);
                publisher = Thread.ofPlatform().name("replay-publisher").start(() -> publish(b, room, publishing, published, publishFailed));
                awaitAtLeast(published, 50, 5000);

                List<String> wrong = new ArrayList<>();
                long started = System.currentTimeMillis();
                int joins = 0;
                while (joins < JOINS && System.currentTimeMillis() - started < BUDGET_MILLIS) {
                    // a few viewers at once, each with its own since, each replayed while pub/sub is behind
                    List<RtClient> viewers = new ArrayList<>();
                    List<Long> sinces = new ArrayList<>();
                    try {
                        for (int i = 0; i < AT_ONCE; i++, joins++) {
                            long since = published.get() - 20;
                            String token = Tokens.viewer(shop.secret(), "v" + joins, "v" + joins);
                            sinces.add(since);
                            viewers.add(RtClient.connect(RtClient.url(a.httpPort(), room, shop.app().id(), token, since)));
                        }
                        // past the joins: the stream has gone on well beyond where it was when the viewers came
                        long until = published.get() + 40;
                        for (int i = 0; i < viewers.size(); i++) {
                            List<JsonNode> got = awaitSeq(viewers.get(i), until, 5000);
                            String problem = problem(got, sinces.get(i), until);
                            if (problem != null) {
                                wrong.add("join " + (joins - viewers.size() + i) + " since " + sinces.get(i) + ": " + problem);
                            }
                        }
                    } finally {
                        viewers.forEach(RtClient::close);
                    }
                }
                assertThat(publishFailed.get()).isNull();
                assertThat(joins).as("joins made within the budget").isGreaterThanOrEqualTo(20);
                assertThat(wrong).as("of %d joins under a stream of %d messages", joins, published.get()).isEmpty();
            }
        } finally {
            publishing.set(false);
            if (publisher != null) {
                publisher.join(10_000);
            }
            b.close();
            a.close();
            lag.close();
        }
    }

    /**
     * Publishes on node B until told to stop: {@link #BURST} messages at once every {@link #BURST_EVERY_MILLIS} ms, as a
     * busy room's stream comes in waves; {@code published} is the highest seq so far. System messages reach every
     * viewer without a subscription, and high-priority ones are never dropped for a slow reader: whatever a viewer
     * misses or gets twice is the join's doing.
     */
    private static void publish(OpenliveServer node, String room, AtomicBoolean publishing, AtomicLong published,
                                AtomicReference<Throwable> failed) {
        try {
            long next = System.nanoTime();
            for (long n = 1; publishing.get() && failed.get() == null; ) {
                List<java.util.concurrent.CompletableFuture<?>> wave = new ArrayList<>(BURST);
                for (int i = 0; i < BURST; i++, n++) {
                    wave.add(node.bus().publish(room, "system", Priority.HIGH, RtClient.JSON.createObjectNode()
                                    .put("type", "burst").put("n", n)).toCompletableFuture()
                            .thenAccept(m -> published.accumulateAndGet(m.seq(), Math::max)));
                }
                java.util.concurrent.CompletableFuture.allOf(wave.toArray(java.util.concurrent.CompletableFuture[]::new))
                        .get(5, TimeUnit.SECONDS);
                next += TimeUnit.MILLISECONDS.toNanos(BURST_EVERY_MILLIS);
                java.util.concurrent.locks.LockSupport.parkNanos(next - System.nanoTime()); // pacing the load, not waiting for anything
            }
        } catch (Throwable e) {
            failed.compareAndSet(null, e);
        }
    }

    /** What the viewer received once it has a numbered message at or past {@code until} (or a resync). */
    private static List<JsonNode> awaitSeq(RtClient viewer, long until, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            List<JsonNode> got = viewer.received();
            for (JsonNode e : got) {
                if (e.path("seq").asLong() >= until || e.path("op").asText().equals("resync")) {
                    return got;
                }
            }
            if (System.currentTimeMillis() > deadline) {
                return got; // the check says what is missing
            }
            Thread.sleep(5);
        }
    }

    /** Null when the viewer got {@code since + 1 .. until} each once and in order; else what was wrong. */
    private static String problem(List<JsonNode> received, long since, long until) {
        long expected = since + 1;
        for (JsonNode e : received) {
            if (e.path("op").asText().equals("resync")) {
                return "told to resync: " + e;
            }
            long seq = e.path("seq").asLong();
            if (seq == 0) {
                continue; // welcome, presence: not numbered
            }
            if (seq < expected) {
                return "seq " + seq + " again after " + (expected - 1);
            }
            if (seq > expected) {
                return "seq " + expected + " to " + (seq - 1) + " missing";
            }
            expected++;
        }
        return expected > until ? null : "only up to seq " + (expected - 1) + " of " + until;
    }

    private static void awaitAtLeast(AtomicLong value, long atLeast, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (value.get() < atLeast) {
            assertThat(System.currentTimeMillis()).as("%d reached within %d ms", atLeast, timeoutMillis).isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
