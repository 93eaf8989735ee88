package io.openlive.server.restream;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.openlive.engine.stream.LiveStream;
import io.openlive.engine.stream.StreamHub;
import io.openlive.protocol.rtmp.RtmpChunkDecoder;
import io.openlive.protocol.rtmp.RtmpChunkEncoder;
import io.openlive.protocol.rtmp.RtmpClientHandshake;
import io.openlive.server.internal.NettyAccess;
import io.openlive.server.store.JdbcRestreamStore;
import io.vertx.core.Vertx;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pushes rooms' live streams to their outside destinations: connects each enabled destination when its room goes live
 * (or when started while live), retries with back-off when a destination drops, unpublishes when the show ends. RTMPS
 * verifies the destination's certificate (chain and host name) against the JVM's trust store plus the optional
 * {@link RestreamConfig#trustFile()}, and sends SNI; a certificate that does not verify is that destination's error. The API calls run on workers (they touch the store); connections live on Vert.x
 * event loops. Usage: {@code restreams.onLive(roomId)} from the hub's listener; {@code restreams.add(destination)}.
 */
public final class Restreams {
    private static final Logger log = LoggerFactory.getLogger(Restreams.class);
    /** Connect, handshake and publish must complete within this, or the attempt counts as failed. */
    static final long ATTEMPT_TIMEOUT_MS = 10_000;
    /**
     * Destinations a room may have: each is an outgoing connection pushing the whole stream and its own labelled series
     * in /metrics, so an unbounded number would let one room key multiply the node's upload and the scrape's size.
     */
    public static final int MAX_PER_ROOM = 8;

    private final Vertx vertx;
    private final StreamHub hub;
    private final JdbcRestreamStore store;
    private final NetClient plain;
    private final NetClient tls;
    private final ConcurrentHashMap<String, RestreamLink> links = new ConcurrentHashMap<>();
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    /** Each destination's own meters, from when this node first knows it until it is deleted. */
    private final ConcurrentHashMap<String, List<Meter>> destinationMeters = new ConcurrentHashMap<>();
    private volatile MeterRegistry registry;
    private volatile boolean closed;

    public Restreams(Vertx vertx, StreamHub hub, JdbcRestreamStore store) {
        this(vertx, hub, store, RestreamConfig.defaults());
    }

    public Restreams(Vertx vertx, StreamHub hub, JdbcRestreamStore store, RestreamConfig config) {
        this.vertx = vertx;
        this.hub = hub;
        this.store = store;
        NetClientOptions base = new NetClientOptions().setTcpNoDelay(true).setConnectTimeout((int) ATTEMPT_TIMEOUT_MS);
        this.plain = vertx.createNetClient(base);
        // certificates are always verified, chain and host name; a trust file only adds authorities to the JVM's
        NetClientOptions secure = new NetClientOptions(base).setSsl(true).setHostnameVerificationAlgorithm("HTTPS");
        io.vertx.core.net.TrustOptions trust = RestreamTrust.of(config);
        if (trust != null) {
            secure.setTrustOptions(trust);
        }
        this.tls = vertx.createNetClient(secure);
    }

    /**
     * Counts of destinations by state, bytes sent and reconnects: labels bounded by the four states. Each destination
     * also gets its own status (connected, bytes sent, reconnects; labels room and destination id, as many as rooms have
     * destinations configured), registered when this node first knows it and removed when it is deleted. The last error
     * is text, so it is in the API only.
     */
    public void register(MeterRegistry registry) {
        this.registry = registry;
        for (RestreamLink.State s : RestreamLink.State.values()) {
            Gauge.builder("openlive_restream_destinations", this, r -> r.count(s))
                    .tag("state", s.name().toLowerCase(Locale.ROOT))
                    .description("Restream destinations known on this node, by state").register(registry);
        }
        FunctionCounter.builder("openlive_restream_sent_bytes", bytesSent, AtomicLong::get)
                .description("Bytes pushed to restream destinations").register(registry);
        FunctionCounter.builder("openlive_restream_reconnects", reconnects, AtomicLong::get)
                .description("Restream attempts that failed or dropped and were retried").register(registry);
        links.values().forEach(this::registerMeters);
    }

    private void registerMeters(RestreamLink link) {
        MeterRegistry r = registry;
        if (r == null) {
            return;
        }
        destinationMeters.computeIfAbsent(link.id, id -> {
            Tags tags = Tags.of("room", link.roomId, "destination", id);
            return List.of(
                    Gauge.builder("openlive_restream_destination_connected", link, l -> l.state() == RestreamLink.State.CONNECTED ? 1 : 0)
                            .tags(tags).description("1 while this destination is being published to, else 0").register(r),
                    FunctionCounter.builder("openlive_restream_destination_sent_bytes", link, RestreamLink::bytesSent)
                            .tags(tags).description("Bytes pushed to this destination").register(r),
                    FunctionCounter.builder("openlive_restream_destination_reconnects", link, RestreamLink::reconnects)
                            .tags(tags).description("Attempts to this destination that failed or dropped and were retried").register(r));
        });
    }

    private void removeMeters(String id) {
        List<Meter> meters = destinationMeters.remove(id);
        MeterRegistry r = registry;
        if (meters != null && r != null) {
            meters.forEach(r::remove);
        }
    }

    private double count(RestreamLink.State s) {
        return links.values().stream().filter(l -> l.state() == s).count();
    }

    // --- API side (blocking: call from a worker) ---

    /** Adds a destination; empty when its room already has {@link #MAX_PER_ROOM}. */
    public Optional<Map<String, Object>> add(Destination d) {
        if (!store.insertIfFewer(d, MAX_PER_ROOM)) { // the store serialises a room's adds, on this node and across nodes
            return Optional.empty();
        }
        RestreamLink link = link(d);
        log.info("[restream room={} id={}] destination added ({})", d.roomId(), d.id(), hostOf(d));
        if (d.enabled()) {
            connectIfLive(link);
        }
        return Optional.of(link.view());
    }

    public List<Map<String, Object>> list(String roomId) {
        return store.byRoom(roomId).stream().map(d -> link(d).view()).toList();
    }

    public Optional<Map<String, Object>> view(String roomId, String id) {
        return store.find(roomId, id).map(d -> link(d).view());
    }

    public Optional<Map<String, Object>> start(String roomId, String id) {
        return store.find(roomId, id).map(d -> {
            store.setEnabled(id, true);
            RestreamLink link = link(d);
            link.destination(withEnabled(d, true));
            connectIfLive(link);
            return link.view();
        });
    }

    public Optional<Map<String, Object>> stop(String roomId, String id) {
        return store.find(roomId, id).map(d -> {
            store.setEnabled(id, false);
            RestreamLink link = link(d);
            link.destination(withEnabled(d, false));
            halt(link, "stopped through the API");
            return link.view();
        });
    }

    public boolean delete(String roomId, String id) {
        Optional<Destination> d = store.find(roomId, id);
        if (d.isEmpty()) {
            return false;
        }
        RestreamLink link = links.remove(id);
        if (link != null) {
            halt(link, "deleted");
        }
        removeMeters(id);
        return store.delete(id);
    }

    // --- hub side ---

    /** The room went live: connect its enabled destinations (read from the store on a worker). */
    public void onLive(String roomId) {
        vertx.executeBlocking(() -> store.byRoom(roomId), false).onSuccess(all -> {
            for (Destination d : all) {
                RestreamLink link = link(d);
                link.destination(d);
                if (d.enabled()) {
                    connectIfLive(link);
                }
            }
        }).onFailure(e -> log.warn("[restream room={}] destinations not read: {}", roomId, e.getMessage()));
    }

    /** The show ended: connected pushes unpublish themselves (their reader ends); waiting retries are cancelled. */
    public void onEnded(String roomId) {
        for (RestreamLink link : links.values()) {
            if (link.roomId.equals(roomId) && link.state() != RestreamLink.State.CONNECTED) {
                halt(link, "show ended");
            }
        }
    }

    public void close() {
        closed = true;
        for (RestreamLink link : links.values()) {
            halt(link, "server closing");
        }
        plain.close();
        tls.close();
    }

    private RestreamLink link(Destination d) {
        RestreamLink link = links.get(d.id());
        if (link == null) {
            link = links.computeIfAbsent(d.id(), i -> new RestreamLink(d));
            registerMeters(link);
        }
        return link;
    }

    private static Destination withEnabled(Destination d, boolean on) {
        return new Destination(d.id(), d.roomId(), d.url(), d.key(), on, d.createdAt());
    }

    private boolean live(String roomId) {
        return !closed && hub.stream(roomId).map(LiveStream::isLive).orElse(false);
    }

    private void connectIfLive(RestreamLink link) {
        synchronized (link) {
            if (link.state() == RestreamLink.State.STOPPED && link.wanted() && live(link.roomId)) {
                link.connecting();
            } else {
                return;
            }
        }
        connect(link);
    }

    private void connect(RestreamLink link) {
        Destination d = link.destination();
        if (!link.wanted() || !live(link.roomId)) {
            link.stopped();
            return;
        }
        link.connecting();
        Destination.Target t = d.target();
        ConnectOptions options = new ConnectOptions().setHost(t.host()).setPort(t.port()).setSsl(t.tls());
        if (t.tls()) {
            options.setSniServerName(t.host());
        }
        (t.tls() ? tls : plain).connect(options)
                .onSuccess(socket -> attach(link, d, socket))
                .onFailure(e -> retry(link, null, ConnectFailure.describe(e)));
    }

    /** On the socket's event loop: RTMP client pipeline in front of Vert.x's handler, whose handshake sends C0+C1 at once (section 5.2.5). */
    private void attach(RestreamLink link, Destination d, NetSocket socket) {
        ChannelHandlerContext vctx = NettyAccess.of(socket);
        ChannelPipeline p = vctx.pipeline();
        if (!link.wanted() || closed || link.state() != RestreamLink.State.CONNECTING) {
            socket.close(); // stopped while connecting
            return;
        }
        RtmpPush push = new RtmpPush(hub, d, events(link));
        String name = vctx.name();
        p.addBefore(name, "restream-handshake", new RtmpClientHandshake(new RtmpChunkDecoder()));
        p.addBefore(name, "restream-encoder", new RtmpChunkEncoder());
        p.addBefore(name, "restream-push", push);
        link.push(push);
        vctx.executor().schedule(() -> {
            if (link.push() == push && link.state() == RestreamLink.State.CONNECTING) {
                push.fail("no publish within " + ATTEMPT_TIMEOUT_MS + " ms");
            }
        }, ATTEMPT_TIMEOUT_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private RtmpPush.Events events(RestreamLink link) {
        return new RtmpPush.Events() {
            @Override
            public void published(RtmpPush push) {
                link.connected(push);
                log.info("[restream room={} id={}] publishing to {}", link.roomId, link.id, hostOf(link.destination()));
            }

            @Override
            public void failed(RtmpPush push, String reason) {
                if (link.push() == push) {
                    retry(link, push, reason);
                }
            }

            @Override
            public void ended(RtmpPush push) {
                if (link.push() == push) {
                    link.stopped();
                }
                log.info("[restream room={} id={}] show ended: unpublished from {}", link.roomId, link.id, hostOf(link.destination()));
            }

            @Override
            public void sent(int bytes) {
                link.sent(bytes);
                bytesSent.addAndGet(bytes);
            }
        };
    }

    private void retry(RestreamLink link, RtmpPush push, String reason) {
        if (!link.wanted() || !live(link.roomId) || links.get(link.id) != link) {
            log.info("[restream room={} id={}] connection ended ({}); not retrying: destination stopped or room not live",
                    link.roomId, link.id, reason);
            link.stopped();
            return;
        }
        long delay = link.failed(reason);
        reconnects.incrementAndGet();
        log.warn("[restream room={} id={}] {} dropped: {}; retrying in {} ms", link.roomId, link.id,
                hostOf(link.destination()), reason, delay);
        link.timer(vertx.setTimer(delay, x -> connect(link)));
    }

    /** Stops a link: cancels its retry, unpublishes a live push. */
    private void halt(RestreamLink link, String why) {
        RtmpPush push = link.push();
        long timer = link.stopped();
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        if (push != null) {
            push.executor().execute(push::unpublish);
            log.info("[restream room={} id={}] {}: unpublishing", link.roomId, link.id, why);
        }
    }

    /** Host and port only: a key pasted into the URL's path must not reach the log either. */
    private static String hostOf(Destination d) {
        Destination.Target t = d.target();
        return (t.tls() ? "rtmps://" : "rtmp://") + t.host() + ":" + t.port();
    }
}
