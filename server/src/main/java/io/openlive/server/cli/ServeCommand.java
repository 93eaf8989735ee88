package io.openlive.server.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.openlive.engine.room.Room;
import io.openlive.engine.stream.StreamConfig;
import io.openlive.server.OpenliveServer;
import io.openlive.server.ServerConfig;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code openlive serve}: runs a node until interrupted and prints where to publish and play. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the server (RTMP ingest and play, HTTP-FLV, WS-FLV, API, metrics).")
final class ServeCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--public-host", defaultValue = "127.0.0.1", description = "Host name printed in URLs (default: ${DEFAULT-VALUE}).")
    String publicHost;

    @Option(names = "--rtmp-port", defaultValue = "1935", description = "RTMP port (default: ${DEFAULT-VALUE}).")
    int rtmpPort;

    @Option(names = "--http-port", defaultValue = "8080", description = "HTTP port (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--log-level", defaultValue = "info", description = "error, warn, info, debug or trace (default: ${DEFAULT-VALUE}).")
    String logLevel;

    @Option(names = "--publisher-grace", defaultValue = "10s", description = "How long a room stays live for its publisher to reconnect (default: ${DEFAULT-VALUE}).")
    String publisherGrace;

    @Option(names = "--hls-target-duration", defaultValue = "2s", description = "HLS segments start at the first key frame after this (1s to 30s; default: ${DEFAULT-VALUE}).")
    String hlsTargetDuration;

    @Option(names = "--hls-part-target", defaultValue = "300ms", description = "LL-HLS parts are at most this long (100ms to half the target; default: ${DEFAULT-VALUE}).")
    String hlsPartTarget;

    @Option(names = "--slow-viewer-timeout", defaultValue = "10s", description = "Disconnect a viewer behind for this long (default: ${DEFAULT-VALUE}).")
    String slowViewerTimeout;

    @Option(names = "--merge-window", defaultValue = "0ms", description = "Tell viewers of new frames at most once per this window "
            + "(0 to 200ms): one write per viewer per window, less CPU for up to this much more delay (default: ${DEFAULT-VALUE}).")
    String mergeWindow;

    @Option(names = "--merge-window-viewers", defaultValue = "0", description = "Apply --merge-window only to rooms with at least "
            + "this many viewers on this node, so small rooms keep the lowest delay (default: ${DEFAULT-VALUE}, every room).")
    int mergeWindowViewers;

    @Option(names = "--pair-hold", defaultValue = "0ms", description = "Let a frame wait up to this long (0 to 20ms) for the "
            + "other track's next frame when it is due that soon, so viewers get audio and video in one write: fewer writes "
            + "per viewer for a small, bounded delay (default: ${DEFAULT-VALUE}).")
    String pairHold;

    // fallbackValue is what makes --no-viewer-nodelay read as false when no default provider is set (as in tests)
    @Option(names = "--viewer-nodelay", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Send each write to a viewer at once (TCP_NODELAY, the default). --no-viewer-nodelay lets the kernel "
                    + "merge a viewer's small writes while earlier ones are unacknowledged (Nagle), as nginx-rtmp does: fewer segments "
                    + "to viewers that fall behind, for up to a round trip of delay; its saving on the loopback benchmark was "
                    + "mostly work moved to the viewers' core (BENCHMARKS.md), so measure before turning it on.")
    boolean viewerNoDelay;

    @Option(names = "--event-loops", defaultValue = "0", description = "Event loop threads; 0 for one per core (default: ${DEFAULT-VALUE}).")
    int eventLoops;

    @Option(names = "--redis-url", defaultValue = "", description = "Redis for the room bus when several nodes serve the same rooms (redis://127.0.0.1:6379); default: one node, in memory.")
    String redisUrl;

    @Option(names = "--component-port", defaultValue = "8081", description = "Port of the component origin, which serves only "
            + "component bundles and the component SDK (default: ${DEFAULT-VALUE}; 0 picks a free port).")
    int componentPort;

    @Option(names = "--component-origin", defaultValue = "", description = "Public origin of the component listener, such as "
            + "https://components.example.com (default: http://{public-host}:{component-port}).")
    String componentOrigin;

    // fallbackValue, as for --viewer-nodelay: without a default provider the negated flag would otherwise parse as true
    @Option(names = "--demo", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Demo mode (the default): two demo host apps at /demo/shop/ and /demo/pay/ playing the demo room, "
                    + "which loops a sample clip while no one publishes to it. --no-demo leaves them out.")
    boolean demo;

    @Option(names = "--order-ttl", defaultValue = "15m", description = "How long an unpaid order holds its units before it expires "
            + "and gives them back (default: ${DEFAULT-VALUE}).")
    String orderTtl;

    @Option(names = "--max-connections-per-address", defaultValue = "512", description = "Open HTTP connections one remote "
            + "address may hold; 0 for no limit, as the bench tools need on loopback (default: ${DEFAULT-VALUE}).")
    int maxConnectionsPerAddress;

    @Option(names = "--rt-anonymous-per-second", defaultValue = "20", description = "Anonymous /rt upgrades one address may "
            + "make per second (burst twice that); 0 for no limit (default: ${DEFAULT-VALUE}).")
    int rtAnonymousPerSecond;

    @Option(names = "--rtmp-pending-per-address", defaultValue = "" + io.openlive.server.rtmp.RtmpLimits.DEFAULT_MAX_PENDING_PER_ADDRESS, description = "RTMP connections one remote address "
            + "may hold that are not yet publishing or playing; 0 for no limit, as the bench tools need on loopback "
            + "(default: ${DEFAULT-VALUE}).")
    int rtmpPendingPerAddress;

    @Option(names = "--restream-trust", description = "A PEM file of certificates RTMPS restream destinations may also chain to, "
            + "besides the JVM's certificate authorities: for an ingest with a private CA or a self-signed certificate. Certificates "
            + "and host names are verified either way.")
    java.nio.file.Path restreamTrust;

    @Option(names = "--http-head-timeout", defaultValue = "10s", description = "A new HTTP connection must send its request "
            + "head within this (default: ${DEFAULT-VALUE}).")
    String httpHeadTimeout;

    @Option(names = "--http-idle-timeout", defaultValue = "60s", description = "Close a keep-alive HTTP connection idle between "
            + "requests this long; streams and WebSockets are not idle (default: ${DEFAULT-VALUE}).")
    String httpIdleTimeout;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        OpenliveServer server = start(spec.commandLine().getOut());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "openlive-shutdown"));
        stopped.await();
        return 0;
    }

    private io.openlive.server.http.HttpLimits httpLimits() {
        try {
            return new io.openlive.server.http.HttpLimits(Durations.parse(httpHeadTimeout), Durations.parse(httpIdleTimeout),
                    maxConnectionsPerAddress, rtAnonymousPerSecond);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private io.openlive.server.rtmp.RtmpLimits rtmpLimits() {
        if (rtmpPendingPerAddress < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--rtmp-pending-per-address must be 0 (no limit) or positive, not " + rtmpPendingPerAddress);
        }
        return io.openlive.server.rtmp.RtmpLimits.defaults().withMaxPendingPerAddress(rtmpPendingPerAddress);
    }

    /** Starts the node and prints where to publish and play, and the first admin key of a new data directory. */
    OpenliveServer start(PrintWriter out) {
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("io.openlive").setLevel(Level.toLevel(logLevel, Level.INFO));
        StreamConfig stream = StreamConfig.defaults()
                .withPublisherGrace(Durations.parse(publisherGrace))
                .withSlowReaderTimeout(Durations.parse(slowViewerTimeout))
                .withMergeWindow(Durations.parse(mergeWindow))
                .withMergeFromViewers(mergeWindowViewers)
                .withPairHold(Durations.parse(pairHold));
        Duration ttl = Durations.parse(orderTtl);
        if (ttl.isNegative() || ttl.isZero()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--order-ttl must be positive, not " + orderTtl);
        }
        ServerConfig config = ServerConfig.builder()
                .host(host).publicHost(publicHost).rtmpPort(rtmpPort).httpPort(httpPort)
                .dataDir(store.dataDir).databaseUrl(store.databaseUrl).redisUrl(redisUrl)
                .stream(stream).eventLoops(eventLoops).viewerNoDelay(viewerNoDelay)
                .container(new io.openlive.server.ContainerConfig(componentPort, componentOrigin, demo, true, io.openlive.server.ContainerConfig.OFFICIAL_FOLDER))
                .orderTtl(ttl).httpLimits(httpLimits())
                .restream(new io.openlive.server.restream.RestreamConfig(restreamTrust)).rtmpLimits(rtmpLimits())
                .build();
        // the smallest part first, so any valid target duration passes the part-to-target check before the real part is set
        io.openlive.engine.hls.HlsConfig hls = io.openlive.engine.hls.HlsConfig.defaults()
                .withPartTarget(Duration.ofMillis(100))
                .withTargetDuration(Durations.parse(hlsTargetDuration))
                .withPartTarget(Durations.parse(hlsPartTarget));
        OpenliveServer server = OpenliveServer.start(config, hls).await();
        Room demo = server.vertx().executeBlocking(server::demoRoom).await();
        java.util.Optional<String> adminKey = server.vertx().executeBlocking(() -> server.platform().keys().bootstrapAdmin()).await();
        String h = publicHost;
        out.printf("openlive %s is serving%n", Version.current());
        out.printf("  publish   rtmp://%s:%d/live/%s%n", h, server.rtmpPort(), demo.streamKey());
        out.printf("            (OBS: server rtmp://%s:%d/live  stream key %s)%n", h, server.rtmpPort(), demo.streamKey());
        out.printf("  play      http://%s:%d/live/%s.flv%n", h, server.httpPort(), demo.id());
        out.printf("            ws://%s:%d/live/%s.flv%n", h, server.httpPort(), demo.id());
        out.printf("            rtmp://%s:%d/live/%s%n", h, server.rtmpPort(), demo.id());
        out.printf("            http://%s:%d/live/%s.m3u8  (LL-HLS; ?format=ts for MPEG-TS)%n", h, server.httpPort(), demo.id());
        out.printf("  home      http://%s:%d/%n", h, server.httpPort());
        server.demo().ifPresent(d -> {
            out.printf("  demo      http://%s:%d/demo/shop/  (Demo Shop, %s)%n", h, server.httpPort(), d.shop());
            out.printf("            http://%s:%d/demo/pay/   (Demo Pay, %s)%n", h, server.httpPort(), d.pay());
            out.printf("            the demo room loops a sample clip until you publish to it%n");
        });
        out.printf("  metrics   http://%s:%d/metrics  (from this machine; remote scrapers need %s)%n", h, server.httpPort(),
                io.openlive.server.http.MetricsRoute.TOKEN_ENV);
        out.printf("  api       http://%s:%d/api/v1/openapi.yaml%n", h, server.httpPort());
        out.printf("  components %s  (bundles and /sdk/component.js only)%n", server.componentOrigin());
        if (!stream.mergeWindow().isZero()) {
            out.printf("  merge     viewers written to at most once per %d ms%s%n", stream.mergeWindow().toMillis(),
                    stream.mergeFromViewers() > 0 ? " in rooms of " + stream.mergeFromViewers() + "+ viewers on this node" : "");
        }
        if (!stream.pairHold().isZero()) {
            out.printf("  pairing   a frame waits up to %d ms for its audio/video partner%n", stream.pairHold().toMillis());
        }
        if (!viewerNoDelay) {
            out.printf("  sockets   viewers' small writes may wait for acknowledgements (Nagle)%n");
        }
        adminKey.ifPresent(k -> out.printf("  admin key %s  (shown once: keep it; it is the first platform admin)%n", k));
        out.printf("  demo room %s \"%s\" (data in %s)%n", demo.id(), demo.title(), store.databaseUrl.isEmpty() ? store.dataDir.toAbsolutePath() : store.databaseUrl);
        out.flush();
        return server;
    }

    /** Parses "10s", "500ms", "2m" or plain seconds. */
    static final class Durations {
        static Duration parse(String text) {
            String t = text.trim().toLowerCase(java.util.Locale.ROOT);
            try {
                if (t.endsWith("ms")) {
                    return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
                }
                if (t.endsWith("s")) {
                    return Duration.ofMillis((long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
                }
                if (t.endsWith("m")) {
                    return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)) * 60);
                }
                return Duration.ofSeconds(Long.parseLong(t));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a duration: '" + text + "' (try 10s, 500ms, 2m)");
            }
        }
    }
}
