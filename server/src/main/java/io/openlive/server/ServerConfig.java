package io.openlive.server;

import io.openlive.engine.stream.StreamConfig;
import io.openlive.server.realtime.RealtimeConfig;
import io.openlive.server.rtmp.RtmpLimits;

import java.nio.file.Path;

/**
 * Everything {@code openlive serve} needs. Ports may be 0 (tests): the bound ports are on {@link OpenliveServer}.
 *
 * @param host          address to listen on, default 0.0.0.0
 * @param publicHost    host name printed in URLs, default 127.0.0.1
 * @param rtmpPort      RTMP ingest and play, default 1935
 * @param httpPort      HTTP-FLV, WS-FLV, API and metrics, default 8080
 * @param dataDir       embedded database and files, default ./data
 * @param databaseUrl   JDBC URL; empty for the embedded SQLite file in {@code dataDir}
 * @param stream        stream hub limits and timings
 * @param eventLoops    Vert.x event loops; 0 for one per available core
 * @param redisUrl      Redis for the room bus of several nodes ({@code redis://127.0.0.1:6379}); empty for one node in memory
 * @param realtime      realtime channel limits and rhythms
 * @param viewerNoDelay whether a viewer's socket sends each write at once ({@code TCP_NODELAY}, the default) or lets the
 *                      kernel merge small writes while earlier bytes are unacknowledged (Nagle), as nginx-rtmp does
 * @param container     the component origin, demo mode and the official components
 * @param orderTtl      how long an unpaid order holds its units before it expires, default 15 minutes
 * @param httpLimits    the HTTP listeners' head deadline, idle time-out and per-address caps
 * @param restream      what RTMPS restream destinations are verified against
 * @param rtmpLimits    the RTMP port's admission deadline and per-address cap on connections not yet publishing or playing
 */
public record ServerConfig(String host, String publicHost, int rtmpPort, int httpPort, Path dataDir, String databaseUrl,
                           StreamConfig stream, int eventLoops, String redisUrl, RealtimeConfig realtime,
                           boolean viewerNoDelay, ContainerConfig container, java.time.Duration orderTtl,
                           io.openlive.server.http.HttpLimits httpLimits, io.openlive.server.restream.RestreamConfig restream,
                           RtmpLimits rtmpLimits) {

    public static final java.time.Duration DEFAULT_ORDER_TTL = java.time.Duration.ofMinutes(15);

    /** With the default RTMP limits. */
    public ServerConfig(String host, String publicHost, int rtmpPort, int httpPort, Path dataDir, String databaseUrl,
                        StreamConfig stream, int eventLoops, String redisUrl, RealtimeConfig realtime, boolean viewerNoDelay,
                        ContainerConfig container, java.time.Duration orderTtl, io.openlive.server.http.HttpLimits httpLimits,
                        io.openlive.server.restream.RestreamConfig restream) {
        this(host, publicHost, rtmpPort, httpPort, dataDir, databaseUrl, stream, eventLoops, redisUrl, realtime, viewerNoDelay,
                container, orderTtl, httpLimits, restream, RtmpLimits.defaults());
    }

    /** With the default restream settings (the JVM's certificate authorities only). */
    public ServerConfig(String host, String publicHost, int rtmpPort, int httpPort, Path dataDir, String databaseUrl,
                        StreamConfig stream, int eventLoops, String redisUrl, RealtimeConfig realtime, boolean viewerNoDelay,
                        ContainerConfig container, java.time.Duration orderTtl, io.openlive.server.http.HttpLimits httpLimits) {
        this(host, publicHost, rtmpPort, httpPort, dataDir, databaseUrl, stream, eventLoops, redisUrl, realtime, viewerNoDelay,
                container, orderTtl, httpLimits, io.openlive.server.restream.RestreamConfig.defaults());
    }

    /** Without the container's settings: those of tests ({@link ContainerConfig#ephemeral()}). */
    public ServerConfig(String host, String publicHost, int rtmpPort, int httpPort, Path dataDir, String databaseUrl,
                        StreamConfig stream, int eventLoops, String redisUrl, RealtimeConfig realtime, boolean viewerNoDelay) {
        this(host, publicHost, rtmpPort, httpPort, dataDir, databaseUrl, stream, eventLoops, redisUrl, realtime, viewerNoDelay,
                ContainerConfig.ephemeral(), DEFAULT_ORDER_TTL, io.openlive.server.http.HttpLimits.defaults());
    }

    public static ServerConfig defaults() {
        return new ServerConfig("0.0.0.0", "127.0.0.1", 1935, 8080, Path.of("data"), "", StreamConfig.defaults(), 0, "",
                RealtimeConfig.defaults(), true, ContainerConfig.defaults(), DEFAULT_ORDER_TTL, io.openlive.server.http.HttpLimits.defaults());
    }

    /**
     * For tests: loopback, ephemeral ports, the given data directory; no HTTP per-address caps (load tests hold thousands of
     * loopback connections). The RTMP port keeps its default door, which the attack tests exercise.
     */
    public static ServerConfig ephemeral(Path dataDir) {
        io.openlive.server.http.HttpLimits d = io.openlive.server.http.HttpLimits.defaults();
        return new ServerConfig("127.0.0.1", "127.0.0.1", 0, 0, dataDir, "", StreamConfig.defaults(), 2, "", RealtimeConfig.defaults(), true,
                ContainerConfig.ephemeral(), DEFAULT_ORDER_TTL, new io.openlive.server.http.HttpLimits(d.headDeadline(), d.idleTimeout(), 0, 0));
    }

    public ServerConfig withStream(StreamConfig stream) {
        return new ServerConfig(host, publicHost, rtmpPort, httpPort, dataDir, databaseUrl, stream, eventLoops, redisUrl, realtime, viewerNoDelay, container, orderTtl, httpLimits, restream, rtmpLimits);
    }

    public ServerConfig withRedis(String url) {
        return new ServerConfig(host, publicHost, rtmpPort, httpPort, dataDir, databaseUrl, stream, eventLoops, url, realtime, viewerNoDelay, container, orderTtl, httpLimits, restream, rtmpLimits);
    }

    public ServerConfig withDatabase(String url) {
        return new ServerConfig(host, publicHost, rtmpPort, httpPort, dataDir, url, stream, eventLoops, redisUrl, realtime, viewerNoDelay, container, orderTtl, httpLimits, restream, rtmpLimits);
    }

    public ServerConfig withRealtime(RealtimeConfig config) {
        return new ServerConfig(host, publicHost, rtmpPort, httpPort, dataDir, databaseUrl, stream, eventLoops, redisUrl, config, viewerNoDelay, container, orderTtl, httpLimits, restream, rtmpLimits);
    }

    public ServerConfig withViewerNoDelay(boolean noDelay) {
        return new ServerConfig(host, publicHost, rtmpPort, httpPort, dataDir, databaseUrl, stream, eventLoops, redisUrl, realtime, noDelay, container, orderTtl, httpLimits, restream, rtmpLimits);
    }

    public ServerConfig withContainer(ContainerConfig c) {
        return new ServerConfig(host, publicHost, rtmpPort, httpPort, dataDir, databaseUrl, stream, eventLoops, redisUrl, realtime, viewerNoDelay, c, orderTtl, httpLimits, restream, rtmpLimits);
    }

    public ServerConfig withOrderTtl(java.time.Duration ttl) {
        return new ServerConfig(host, publicHost, rtmpPort, httpPort, dataDir, databaseUrl, stream, eventLoops, redisUrl, realtime, viewerNoDelay, container, ttl, httpLimits, restream, rtmpLimits);
    }

    public ServerConfig withRestream(io.openlive.server.restream.RestreamConfig r) {
        return new ServerConfig(host, publicHost, rtmpPort, httpPort, dataDir, databaseUrl, stream, eventLoops, redisUrl, realtime, viewerNoDelay, container, orderTtl, httpLimits, r, rtmpLimits);
    }

    public ServerConfig withHttpLimits(io.openlive.server.http.HttpLimits limits) {
        return new ServerConfig(host, publicHost, rtmpPort, httpPort, dataDir, databaseUrl, stream, eventLoops, redisUrl, realtime, viewerNoDelay, container, orderTtl, limits, restream, rtmpLimits);
    }

    public ServerConfig withEventLoops(int loops) {
        return new ServerConfig(host, publicHost, rtmpPort, httpPort, dataDir, databaseUrl, stream, loops, redisUrl, realtime, viewerNoDelay, container, orderTtl, httpLimits, restream, rtmpLimits);
    }

    public ServerConfig withRtmpLimits(RtmpLimits limits) {
        return new ServerConfig(host, publicHost, rtmpPort, httpPort, dataDir, databaseUrl, stream, eventLoops, redisUrl, realtime, viewerNoDelay, container, orderTtl, httpLimits, restream, limits);
    }
}
