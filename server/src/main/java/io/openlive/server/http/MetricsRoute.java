package io.openlive.server.http;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.openlive.engine.stream.LiveStream;
import io.openlive.engine.stream.StreamHub;
import io.openlive.engine.stream.StreamStats;
import io.vertx.ext.web.Router;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code GET /metrics} in Prometheus text format: the engine's figures per server and per live room, plus JVM figures.
 * The engine keeps the counts; meters here only read them, so nothing on a hot path touches Micrometer.
 */
public final class MetricsRoute {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, List<Meter>> roomMeters = new ConcurrentHashMap<>();
    private final Map<String, Timer> firstFrameTimers = new ConcurrentHashMap<>();
    private static final java.time.Duration[] FIRST_FRAME_BUCKETS = java.util.stream.LongStream
            .of(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000)
            .mapToObj(java.time.Duration::ofMillis).toArray(java.time.Duration[]::new);

    private final Map<String, Timer> egressDelayTimers = new ConcurrentHashMap<>();
    private static final java.time.Duration[] EGRESS_DELAY_BUCKETS = java.util.stream.LongStream
            .of(1, 2, 5, 8, 10, 12, 14, 16, 18, 20, 25, 30, 50, 100, 200, 500, 1000)
            .mapToObj(java.time.Duration::ofMillis).toArray(java.time.Duration[]::new);

    public MetricsRoute(StreamHub hub) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        register(hub.totals(), "openlive.", Tags.empty(), new ArrayList<>());
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Time from a viewer's play request to its first decodable frame, per protocol, as a Prometheus histogram. */
    public void firstFrame(String protocol, long nanos) {
        firstFrameTimers.computeIfAbsent(protocol, p -> Timer.builder("openlive.first.frame")
                .description("time from play request to the first key frame queued to the viewer")
                .tag("protocol", p)
                .serviceLevelObjectives(FIRST_FRAME_BUCKETS)
                .register(registry)).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** Server-side delay (frame in from the publisher → bytes to a viewer's socket) of sampled viewers, per protocol. */
    public void egressDelay(String protocol, long nanos) {
        Timer timer = egressDelayTimers.get(protocol);
        if (timer == null) {
            timer = egressDelayTimers.computeIfAbsent(protocol, p -> Timer.builder("openlive.egress.delay")
                    .description("time from a frame's arrival from the publisher to its bytes handed to a viewer's socket (sampled viewers)")
                    .tag("protocol", p)
                    .serviceLevelObjectives(EGRESS_DELAY_BUCKETS)
                    .register(registry));
        }
        timer.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** Environment variable holding the token a remote scraper sends as {@code Authorization: Bearer …}. */
    public static final String TOKEN_ENV = "OPENLIVE_METRICS_TOKEN";

    /**
     * {@code /metrics} names every live room: it answers scrapers on this machine (loopback), and remote ones only with
     * the token of {@link #TOKEN_ENV}; anyone else gets 404, as if there were no such route. Behind a reverse proxy on
     * the same machine, do not forward {@code /metrics}.
     */
    public void mount(Router router) {
        String token = System.getenv(TOKEN_ENV);
        router.get("/metrics").handler(ctx -> {
            if (!allowed(ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress(),
                    ctx.request().getHeader("Authorization"), token)) {
                ApiError.send(ctx.response(), 404, "NOT_FOUND", "no route /metrics");
                return;
            }
            ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(registry.scrape());
        });
    }

    private static boolean isLoopback(String literal) {
        try {
            return java.net.InetAddress.getByName(literal).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** Loopback scrapers always; others only with {@code Bearer <token>} when a token is set (compared in constant time). */
    public static boolean allowed(String remoteHost, String authorization, String token) {
        if (remoteHost != null) {
            // the peer's address is a literal, so this resolves nothing; anything else is treated as remote
            if ((remoteHost.matches("[0-9.]+") || remoteHost.contains(":")) && isLoopback(remoteHost)) {
                return true;
            }
        }
        if (token == null || token.isEmpty() || authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        return java.security.MessageDigest.isEqual(authorization.substring(7).trim().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                token.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Adds per-room meters when a room goes live. */
    public void roomLive(LiveStream stream) {
        roomMeters.computeIfAbsent(stream.roomId(), id -> {
            List<Meter> meters = new ArrayList<>();
            register(stream.stats(), "openlive.room.", Tags.of("room", id), meters);
            return meters;
        });
    }

    /** Removes them when it ends, so a long-running server does not accumulate dead series. */
    public void roomEnded(String roomId) {
        List<Meter> meters = roomMeters.remove(roomId);
        if (meters != null) {
            meters.forEach(registry::remove);
        }
    }

    private void register(StreamStats s, String prefix, Tags tags, List<Meter> out) {
        out.add(Gauge.builder(prefix + "publishers", s.publishers, java.util.concurrent.atomic.AtomicInteger::get)
                .tags(tags).description("RTMP publishers").register(registry));
        for (String protocol : new String[]{"http-flv", "ws-flv", "rtmp"}) {
            out.add(Gauge.builder(prefix + "viewers", s.viewers(protocol), java.util.concurrent.atomic.AtomicInteger::get)
                    .tags(tags.and("protocol", protocol)).description("connected viewers").register(registry));
        }
        out.add(FunctionCounter.builder(prefix + "ingest.bytes", s.bytesIn, java.util.concurrent.atomic.LongAdder::sum)
                .tags(tags).baseUnit("bytes").description("media bytes received from publishers").register(registry));
        out.add(FunctionCounter.builder(prefix + "ingest.frames", s.framesIn, java.util.concurrent.atomic.LongAdder::sum)
                .tags(tags).description("media messages received from publishers").register(registry));
        out.add(FunctionCounter.builder(prefix + "egress.bytes", s.bytesOut, java.util.concurrent.atomic.LongAdder::sum)
                .tags(tags).baseUnit("bytes").description("media bytes queued to viewers").register(registry));
        out.add(FunctionCounter.builder(prefix + "egress.dropped.frames", s.framesDropped, java.util.concurrent.atomic.LongAdder::sum)
                .tags(tags).description("frames skipped for viewers that fell behind").register(registry));
        out.add(FunctionCounter.builder(prefix + "egress.slow.disconnects", s.slowViewersDisconnected, java.util.concurrent.atomic.LongAdder::sum)
                .tags(tags).description("viewers disconnected for staying behind").register(registry));
        out.add(FunctionCounter.builder(prefix + "egress.pairing.holds", s.pairingHolds, java.util.concurrent.atomic.LongAdder::sum)
                .tags(tags).description("publisher batches held for the other track's next frame (--pair-hold)").register(registry));
    }
}
