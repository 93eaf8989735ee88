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

    /** Every setting at its default ({@code openlive serve} with no flags). */
    public static ServerConfig defaults() {
        return new Builder().build();
    }

    /**
     * For tests: loopback, ephemeral ports, the given data directory; no HTTP per-address caps (load tests hold thousands of
     * loopback connections). The RTMP port keeps its default door, which the attack tests exercise.
     */
    public static ServerConfig ephemeral(Path dataDir) {
        io.openlive.server.http.HttpLimits d = io.openlive.server.http.HttpLimits.defaults();
        return new Builder().host("127.0.0.1").rtmpPort(0).httpPort(0).dataDir(dataDir).eventLoops(2)
                .container(ContainerConfig.ephemeral())
                .httpLimits(new io.openlive.server.http.HttpLimits(d.headDeadline(), d.idleTimeout(), 0, 0)).build();
    }

    /** A builder that starts from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    public ServerConfig withStream(StreamConfig stream) {
        return toBuilder().stream(stream).build();
    }

    public ServerConfig withRedis(String url) {
        return toBuilder().redisUrl(url).build();
    }

    public ServerConfig withDatabase(String url) {
        return toBuilder().databaseUrl(url).build();
    }

    public ServerConfig withRealtime(RealtimeConfig config) {
        return toBuilder().realtime(config).build();
    }

    public ServerConfig withViewerNoDelay(boolean noDelay) {
        return toBuilder().viewerNoDelay(noDelay).build();
    }

    public ServerConfig withContainer(ContainerConfig c) {
        return toBuilder().container(c).build();
    }

    public ServerConfig withOrderTtl(java.time.Duration ttl) {
        return toBuilder().orderTtl(ttl).build();
    }

    public ServerConfig withRestream(io.openlive.server.restream.RestreamConfig r) {
        return toBuilder().restream(r).build();
    }

    public ServerConfig withHttpLimits(io.openlive.server.http.HttpLimits limits) {
        return toBuilder().httpLimits(limits).build();
    }

    public ServerConfig withEventLoops(int loops) {
        return toBuilder().eventLoops(loops).build();
    }

    public ServerConfig withRtmpLimits(RtmpLimits limits) {
        return toBuilder().rtmpLimits(limits).build();
    }

    /**
     * Named settings instead of sixteen positional arguments: a new setting is one field here, and no caller (or wither)
     * can drop another setting by passing arguments in the wrong place, as {@code withEventLoops} once did.
     */
    public static final class Builder {
        private String host = "0.0.0.0";
        private String publicHost = "127.0.0.1";
        private int rtmpPort = 1935;
        private int httpPort = 8080;
        private Path dataDir = Path.of("data");
        private String databaseUrl = "";
        private StreamConfig stream = StreamConfig.defaults();
        private int eventLoops = 0;
        private String redisUrl = "";
        private RealtimeConfig realtime = RealtimeConfig.defaults();
        private boolean viewerNoDelay = true;
        private ContainerConfig container = ContainerConfig.defaults();
        private java.time.Duration orderTtl = DEFAULT_ORDER_TTL;
        private io.openlive.server.http.HttpLimits httpLimits = io.openlive.server.http.HttpLimits.defaults();
        private io.openlive.server.restream.RestreamConfig restream = io.openlive.server.restream.RestreamConfig.defaults();
        private RtmpLimits rtmpLimits = RtmpLimits.defaults();

        private Builder() {
        }

        private Builder(ServerConfig c) {
            host = c.host;
            publicHost = c.publicHost;
            rtmpPort = c.rtmpPort;
            httpPort = c.httpPort;
            dataDir = c.dataDir;
            databaseUrl = c.databaseUrl;
            stream = c.stream;
            eventLoops = c.eventLoops;
            redisUrl = c.redisUrl;
            realtime = c.realtime;
            viewerNoDelay = c.viewerNoDelay;
            container = c.container;
            orderTtl = c.orderTtl;
            httpLimits = c.httpLimits;
            restream = c.restream;
            rtmpLimits = c.rtmpLimits;
        }

        public Builder host(String v) { host = v; return this; }
        public Builder publicHost(String v) { publicHost = v; return this; }
        public Builder rtmpPort(int v) { rtmpPort = v; return this; }
        public Builder httpPort(int v) { httpPort = v; return this; }
        public Builder dataDir(Path v) { dataDir = v; return this; }
        public Builder databaseUrl(String v) { databaseUrl = v; return this; }
        public Builder stream(StreamConfig v) { stream = v; return this; }
        public Builder eventLoops(int v) { eventLoops = v; return this; }
        public Builder redisUrl(String v) { redisUrl = v; return this; }
        public Builder realtime(RealtimeConfig v) { realtime = v; return this; }
        public Builder viewerNoDelay(boolean v) { viewerNoDelay = v; return this; }
        public Builder container(ContainerConfig v) { container = v; return this; }
        public Builder orderTtl(java.time.Duration v) { orderTtl = v; return this; }
        public Builder httpLimits(io.openlive.server.http.HttpLimits v) { httpLimits = v; return this; }
        public Builder restream(io.openlive.server.restream.RestreamConfig v) { restream = v; return this; }
        public Builder rtmpLimits(RtmpLimits v) { rtmpLimits = v; return this; }

        public ServerConfig build() {
            return new ServerConfig(host, publicHost, rtmpPort, httpPort, dataDir, databaseUrl, stream, eventLoops, redisUrl,
                    realtime, viewerNoDelay, container, orderTtl, httpLimits, restream, rtmpLimits);
        }
    }
}
