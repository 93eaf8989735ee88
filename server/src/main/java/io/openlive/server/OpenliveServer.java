package io.openlive.server;

import io.netty.buffer.PooledByteBufAllocator;
import io.openlive.engine.room.Room;
import io.openlive.engine.room.RoomState;
import io.openlive.engine.stream.StreamHub;
import io.openlive.engine.stream.StreamListener;
import io.openlive.server.http.ApiError;
import io.openlive.server.http.ComponentListener;
import io.openlive.server.http.WebRoot;
import io.openlive.server.demo.DemoApps;
import io.openlive.server.demo.DemoMode;
import io.openlive.server.store.OfficialBundles;
import io.openlive.server.http.LiveRoutes;
import io.openlive.server.http.MetricsRoute;
import io.openlive.server.internal.VertxScheduler;
import io.openlive.server.rtmp.RtmpListener;
import io.openlive.server.store.Database;
import io.openlive.server.store.JdbcRoomStore;
import io.openlive.server.store.RoomStateWrites;
import io.openlive.engine.platform.BundleLimits;
import io.openlive.engine.platform.Platform;
import io.openlive.engine.platform.PlatformEvents;
import io.openlive.server.api.ApiOperations;
import io.openlive.server.api.ApiRoutes;
import io.openlive.server.store.FileBundleStore;
import io.openlive.server.store.JdbcPlatformStore;
import io.openlive.engine.realtime.BusConfig;
import io.openlive.engine.realtime.MemoryRoomBus;
import io.openlive.engine.realtime.RoomBus;
import io.openlive.server.realtime.RealtimeHub;
import io.openlive.server.realtime.RealtimeRoutes;
import io.openlive.server.realtime.RedisRoomBus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * One openlive node: RTMP and HTTP listeners over a stream hub and the store. Usage:
 * {@code OpenliveServer s = OpenliveServer.start(config).await(); … s.close().await();}
 */
public final class OpenliveServer {
    private static final Logger log = LoggerFactory.getLogger(OpenliveServer.class);
    static final String DEMO_ROOM_SETTING = "demo_room_id";
    /** How often unpaid orders past their time are expired (so they give units back at most this late). */
    static final long EXPIRY_SWEEP_MILLIS = 2000;

    private final ServerConfig config;
    private final Vertx vertx;
    private final Database db;
    private final JdbcRoomStore rooms;
    private final RoomStateWrites stateWrites;
    private final Platform platform;
    private final ApiOperations operations;
    private final io.openlive.engine.commerce.Commerce commerce;
    private long expiryTimer;
    private final io.openlive.server.commerce.WebhookSender webhooks;
    private final io.openlive.server.realtime.StatsRecorder stats;
    private final RoomBus bus;
    private final RealtimeHub realtime;
    private final StreamHub hub;
    private final MetricsRoute metrics;
    private final io.openlive.engine.hls.HlsRooms hls;
    private final io.openlive.engine.record.Recordings recordings;
    private final io.openlive.server.restream.Restreams restreams;
    private final RtmpListener rtmp;
    private volatile HttpServer http;
    private volatile io.openlive.server.internal.SpreadListeners.Spread httpSpread;
    private final WebRoot web;
    private DemoMode demo;
    private final ComponentListener components;
    private int componentPort;
    private final int eventLoops;
    private volatile int rtmpPort;
    private volatile int httpPort;

    /** Set by {@link #close}: readiness turns false before anything is torn down. */
    private volatile boolean shuttingDown;

    private OpenliveServer(ServerConfig config, io.openlive.engine.hls.HlsConfig hlsConfig, java.util.Deque<AutoCloseable> opened) {
        this.config = config;
        this.eventLoops = config.eventLoops() > 0 ? config.eventLoops() : Runtime.getRuntime().availableProcessors();
        int loops = eventLoops;
        this.vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(loops)
                .setWorkerPoolSize(Database.POOL_SIZE * 2));
        Vertx startedVertx = this.vertx;
        opened.push(() -> startedVertx.close().await(10, java.util.concurrent.TimeUnit.SECONDS));
        this.db = config.databaseUrl().isEmpty() ? Database.embedded(config.dataDir()) : Database.open(config.databaseUrl());
        opened.push(db);
        this.rooms = new JdbcRoomStore(db, Clock.systemUTC());
        this.stateWrites = new RoomStateWrites(rooms, task -> vertx.executeBlocking(() -> {
            task.run();
            return null;
        }, false));
        RealtimeHub[] hubHolder = new RealtimeHub[1];
        this.platform = new Platform(new JdbcPlatformStore(db), new FileBundleStore(config.dataDir().resolve("bundles")),
                Clock.systemUTC(), BundleLimits.defaults(), new PlatformEvents() {
            @Override
            public void versionRevoked(String versionId, String componentId, java.util.Set<String> roomIds) {
                log.info("[platform] version {} of {} revoked; unmounting it in {} room(s)", versionId, componentId, roomIds.size());
                hubHolder[0].revoked(versionId, componentId, roomIds);
            }

            @Override
            public void deliveryRevoked(String versionId, String componentId, String appId, java.util.Set<String> roomIds) {
                log.info("[platform] version {} of {} revoked in app {}; unmounting it there in {} room(s)", versionId, componentId, appId, roomIds.size());
                hubHolder[0].revokedInApp(versionId, componentId, appId, roomIds);
            }

            @Override
            public void moderated(String roomId, com.fasterxml.jackson.databind.JsonNode action) {
                hubHolder[0].moderated(roomId, action);
            }

            @Override
            public void appChanged(String appId) {
                hubHolder[0].appChanged(appId);
            }

            @Override
            public void roomDelivered(String roomId, String appId, String instanceId) {
                hubHolder[0].delivered(roomId, appId, instanceId);
            }

            @Override
            public void pinned(String roomId, com.fasterxml.jackson.databind.JsonNode product) {
                hubHolder[0].pinned(roomId, product);
            }
        });
        // messages carry the room's media time (mt) from the stream hub, made just below
        StreamHub[] clockHub = new StreamHub[1];
        io.openlive.engine.realtime.MediaClock media = roomId -> clockHub[0] == null ? java.util.OptionalLong.empty() : clockHub[0].mediaTime(roomId);
        this.bus = config.redisUrl().isEmpty() ? new MemoryRoomBus(BusConfig.defaults(), Clock.systemUTC(), media)
                : RedisRoomBus.connect(vertx, config.redisUrl(), BusConfig.defaults(), media);
        opened.push(bus);
        this.realtime = new RealtimeHub(vertx, bus, platform, config.realtime(), media);
        hubHolder[0] = realtime;
        this.commerce = new io.openlive.engine.commerce.Commerce(new io.openlive.server.store.JdbcCommerceStore(db).warmUp(), Clock.systemUTC(),
                new PlatformEvents() {
                    @Override
                    public void pinned(String roomId, com.fasterxml.jackson.databind.JsonNode product) {
                        realtime.pinned(roomId, product);
                    }
                }, config.orderTtl(), config.databaseUrl().isEmpty() ? 1 : 2);
        realtime.commerce(commerce);
        realtime.follows(new io.openlive.engine.follow.Follows(new io.openlive.server.store.JdbcFollowStore(db), Clock.systemUTC()));
        this.webhooks = new io.openlive.server.commerce.WebhookSender(commerce.webhooks()).start();
        this.operations = new ApiOperations(platform, this::componentOrigin, commerce,
                new io.openlive.engine.analytics.RoomStats(new io.openlive.server.store.JdbcStatsStore(db), Clock.systemUTC()));
        this.web = new WebRoot("web");
        this.components = new ComponentListener(vertx, platform, web, this::platformOrigins);
        MetricsRoute[] metricsRef = new MetricsRoute[1];
        StreamHub[] hubRef = new StreamHub[1];
        io.openlive.server.restream.Restreams[] restreamsRef = new io.openlive.server.restream.Restreams[1];
        this.hub = new StreamHub(config.stream(), new VertxScheduler(vertx), PooledByteBufAllocator.DEFAULT, new StreamListener() {
            @Override
            public void onLive(String roomId) {
                hubRef[0].stream(roomId).ifPresent(metricsRef[0]::roomLive);
                recordIfEnabled(roomId);
                restreamsRef[0].onLive(roomId);
                setState(roomId, RoomState.LIVE);
                realtime.roomState(roomId, "live");
            }

            @Override
            public void onEnded(String roomId) {
                metricsRef[0].roomEnded(roomId);
                restreamsRef[0].onEnded(roomId);
                setState(roomId, RoomState.ENDED);
                realtime.roomState(roomId, "ended");
            }

            @Override
            public void onFirstFrame(String roomId, String protocol, long nanos) {
                metricsRef[0].firstFrame(protocol, nanos);
            }

            @Override
            public void onEgressDelay(String roomId, String protocol, long nanos) {
                metricsRef[0].egressDelay(protocol, nanos);
            }
        });
        hubRef[0] = hub;
        clockHub[0] = hub;
        this.metrics = new MetricsRoute(hub);
        io.micrometer.core.instrument.Gauge.builder("openlive_realtime_connections", realtime, RealtimeHub::connections)
                .description("Realtime channel connections on this node").register(metrics.registry());
        io.micrometer.core.instrument.Gauge.builder("openlive_realtime_rooms", realtime, RealtimeHub::rooms)
                .description("Rooms with realtime viewers on this node").register(metrics.registry());
        io.micrometer.core.instrument.Gauge.builder("openlive_bus_connected", bus, b -> b.isConnected() ? 1 : 0)
                .description("1 while this node receives every room's messages from the room bus, 0 while it reconnects")
                .register(metrics.registry());
        io.micrometer.core.instrument.FunctionCounter.builder("openlive_bus_reconnects", bus, RoomBus::reconnects)
                .description("Times this node lost the room bus and reconnected (its rooms' clients were told to resync)")
                .register(metrics.registry());
        metricsRef[0] = metrics;
        this.stats = new io.openlive.server.realtime.StatsRecorder(new io.openlive.server.store.JdbcStatsStore(db), realtime, hub).start();
        realtime.stats(stats);
        io.openlive.server.commerce.CommerceMetrics.register(metrics.registry(), commerce);
        this.rtmp = new RtmpListener(vertx, hub, rooms, config.viewerNoDelay(), config.rtmpLimits());
        this.hls = new io.openlive.engine.hls.HlsRooms(hub, hlsConfig, new VertxScheduler(vertx),
                io.openlive.server.internal.NettyAccess.eventLoops(vertx));
        this.recordings = new io.openlive.engine.record.Recordings(hub,
                io.openlive.engine.record.RecordingConfig.in(config.dataDir().resolve("recordings")),
                io.openlive.server.internal.NettyAccess.eventLoops(vertx));
        recordings.recover();
        realtime.recordings(recordings);
        io.micrometer.core.instrument.Gauge.builder("openlive_recordings_active", recordings,
                io.openlive.engine.record.Recordings::activeCount).description("Recordings being written on this node")
                .register(metrics.registry());
        io.openlive.server.api.RecordingOperations.addTo(operations, platform.recordingAccess(), recordings, rooms);
        this.restreams = new io.openlive.server.restream.Restreams(vertx, hub, new io.openlive.server.store.JdbcRestreamStore(db),
                config.restream());
        restreamsRef[0] = restreams;
        restreams.register(metrics.registry());
        io.openlive.server.api.RestreamOperations.addTo(operations, platform.recordingAccess(), restreams);
    }

    /** A room whose recording setting is on starts recording when it goes live. */
    private void recordIfEnabled(String roomId) {
        vertx.executeBlocking(() -> rooms.setting(io.openlive.server.api.RecordingOperations.setting(roomId))
                .map("on"::equals).orElse(false), false).onSuccess(on -> {
            if (on) {
                recordings.start(roomId);
            }
        }).onFailure(e -> log.warn("[room {}] recording setting not read: {}", roomId, e.getMessage()));
    }

    /**
     * Starts a node whose HLS segments and parts are cut as {@code hls} says. If it cannot (the store or Redis
     * unreachable, a port taken), whatever it had opened — Vert.x, the store, Redis — is closed before the returned
     * future fails, so a failed start leaks no threads or connections.
     */
    public static Future<OpenliveServer> start(ServerConfig config, io.openlive.engine.hls.HlsConfig hls) {
        OpenliveServer server;
        java.util.Deque<AutoCloseable> opened = new java.util.ArrayDeque<>();
        try {
            server = new OpenliveServer(config, hls, opened);
        } catch (RuntimeException | Error e) {
            for (AutoCloseable resource : opened) {
                try {
                    resource.close();
                } catch (Exception closing) {
                    e.addSuppressed(closing);
                }
            }
            return Future.failedFuture(e);
        }
        try {
            server.prepare();
        } catch (RuntimeException e) {
            server.close();
            return Future.failedFuture(e);
        }
        // completed off the node's Vert.x, whose callbacks stop running once a failed start has closed it
        io.vertx.core.Promise<OpenliveServer> started = io.vertx.core.Promise.promise();
        server.listen().onComplete(ar -> {
            if (ar.succeeded()) {
                if (server.demo != null) {
                    server.demo.start(); // only the demo room loops
                }
                started.complete(server);
                return;
            }
            log.warn("start failed: {}; closing what was opened", String.valueOf(ar.cause().getMessage()));
            // close() blocks and closes Vert.x: it runs on a thread of its own, not on the event loop reporting this
            Thread.ofPlatform().name("openlive-start-failed").start(() -> {
                server.close();
                started.fail(ar.cause());
            });
        });
        return started.future();
    }

    /** A node with the default HLS settings. */
    public static Future<OpenliveServer> start(ServerConfig config) {
        return start(config, io.openlive.engine.hls.HlsConfig.defaults());
    }

    /**
     * Before listening (blocking, like opening the store): imports the official components a newer openlive ships, and in
     * demo mode sets up the demo host apps and binds their instances in the demo room.
     */
    private void prepare() {
        ContainerConfig c = config.container();
        if (c.officialComponents()) {
            var outcomes = platform.officials().importAll(OfficialBundles.zips(c.officialFolder()));
            long imported = outcomes.stream().filter(o -> o.result().equals("imported")).count();
            if (imported > 0) {
                log.info("[platform] {} official component version(s) imported from {}/", imported, c.officialFolder());
            }
        }
        if (c.demo()) {
            demo = DemoMode.prepare(platform, commerce, rooms, demoRoom(), hub, new VertxScheduler(vertx));
        }
    }

    private Future<Void> listen() {
        Router router = Router.router(vertx);
        new io.openlive.server.http.HlsRoutes(vertx, hls, metrics.registry()).mount(router);
        new io.openlive.server.http.RecordingRoutes(vertx, platform, recordings).mount(router);
        new LiveRoutes(vertx, hub, rooms, config.viewerNoDelay()).mount(router);
        metrics.mount(router);
        new ApiRoutes(vertx, platform, operations, BundleLimits.defaults()).measuredBy(metrics.registry()).mount(router);
        new RealtimeRoutes(vertx, realtime).limitAnonymous(config.httpLimits().anonymousRtPerSecond(), metrics.registry()).mount(router);
        expiryTimer = vertx.setPeriodic(EXPIRY_SWEEP_MILLIS, t -> vertx.executeBlocking(commerce::expireDue, false)
                .onSuccess(n -> {
                    if (n > 0) {
                        log.info("[commerce] {} unpaid order(s) expired; units back on sale", n);
                    }
                })
                .onFailure(e -> log.warn("[commerce] expiry sweep failed: {}", e.toString())));
        router.get("/healthz").handler(ctx -> ctx.response().putHeader("Content-Type", "application/json").end("{\"status\":\"ok\"}"));
        new io.openlive.server.http.HealthRoutes(vertx, db, bus, () -> !shuttingDown && httpPort > 0 && rtmpPort > 0).mount(router);
        // where this node takes publishers and viewers, for clients that print URLs (openlive room create --server)
        router.get("/endpoints").handler(ctx -> ctx.response().putHeader("Content-Type", "application/json").end(
                new io.vertx.core.json.JsonObject().put("rtmp", "rtmp://" + config.publicHost() + ":" + rtmpPort + "/live")
                        .put("http", "http://" + config.publicHost() + ":" + httpPort).encode()));
        if (demo != null) {
            demo.mount(router, vertx, this::componentOrigin);
        }
        web.mount(router);
        router.route().last().handler(ctx -> ApiError.send(ctx.response(), 404, "NOT_FOUND", "no route " + ctx.request().path()));
        router.route().failureHandler(ctx -> {
            int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
            if (status >= 500) {
                log.warn("[http {}] {} failed: {}", ctx.request().remoteAddress(), ctx.request().path(), String.valueOf(ctx.failure()));
            }
            switch (status) {
                case 413 -> ApiError.send(ctx.response(), 413, "TOO_LARGE", "request body is over the limit for " + ctx.request().path());
                case 400 -> ApiError.send(ctx.response(), 400, "BAD_REQUEST", "bad request");
                default -> ApiError.send(ctx.response(), status, status >= 500 ? "INTERNAL" : "HTTP_" + status,
                        status >= 500 ? "internal error" : "request refused");
            }
        });
        HttpServerOptions options = new HttpServerOptions().setHost(config.host())
                .setTcpNoDelay(true)
                // HTTP-FLV writes HTTP/1.1 chunks straight to the channel; an h2c upgrade would break that
                .setHttp2ClearTextEnabled(false)
                .setMaxWebSocketFrameSize(64 * 1024).setMaxWebSocketMessageSize(256 * 1024)
                // no WebSocket here needs compression: negotiating it let 58 KB frames inflate to 60 MB before any limit,
                // and with no extension allowed a frame with RSV1 set is a protocol error (RFC 6455 5.2)
                .setPerMessageWebSocketCompressionSupported(false).setPerFrameWebSocketCompressionSupported(false);
        components.guard(new io.openlive.server.http.HttpDoor(vertx, config.httpLimits(), metrics.registry(), "component"));
        io.openlive.server.http.HttpDoor door = new io.openlive.server.http.HttpDoor(vertx, config.httpLimits(), metrics.registry(), "platform");
        return components.listen(config.host(), config.container().componentPort())
                .compose(port -> {
                    componentPort = port;
                    // one listener per event loop: viewers, realtime sockets and API calls spread over every loop
                    java.util.List<HttpServer> made = new java.util.concurrent.CopyOnWriteArrayList<>();
                    return io.openlive.server.internal.SpreadListeners.listen(vertx, eventLoops, p -> {
                        HttpServer one = vertx.createHttpServer(new HttpServerOptions(options).setPort(p));
                        made.add(one);
                        return door.attach(one, router).listen().map(HttpServer::actualPort);
                    }, free -> made.remove(0).close(), config.httpPort()).map(spread -> {
                        http = made.get(0); // the one made here; the others close with their verticles
                        return spread;
                    });
                })
                .compose(spread -> {
                    httpSpread = spread;
                    httpPort = spread.port();
                    return rtmp.listen(config.host(), config.rtmpPort(), eventLoops);
                })
                .map(port -> {
                    rtmpPort = port;
                    log.info("listening: rtmp {}:{} http {}:{} components {}:{} ({} transport, {} event loops)", config.host(), rtmpPort,
                            config.host(), httpPort, config.host(), componentPort, vertx.isNativeTransportEnabled() ? "epoll" : "nio", eventLoops);
                    return null;
                });
    }

    private void setState(String roomId, RoomState state) {
        stateWrites.save(roomId, state).whenComplete((v, e) -> {
            if (e != null) {
                log.warn("[room {}] state {} not saved: {}", roomId, state.wire(), e.getMessage());
            }
        });
    }

    /** The demo room a new data directory gets, so a first run has something to publish to. */
    public Room demoRoom() {
        return rooms.setting(DEMO_ROOM_SETTING).flatMap(rooms::find).orElseGet(() -> {
            Room room = rooms.create("Demo room");
            rooms.putSetting(DEMO_ROOM_SETTING, room.id());
            return room;
        });
    }

    /** In demo mode, the demo room and its two host apps. */
    public java.util.Optional<DemoApps.Ids> demo() {
        return java.util.Optional.ofNullable(demo).map(DemoMode::ids);
    }

    public Platform platform() {
        return platform;
    }

    /** The room bus this node publishes to and listens on (in memory, or Redis shared with other nodes). */
    public RoomBus bus() {
        return bus;
    }

    public io.openlive.engine.commerce.Commerce commerce() {
        return commerce;
    }

    /** This node's room statistics recorder ({@code flush()} writes its figures now). */
    public io.openlive.server.realtime.StatsRecorder stats() {
        return stats;
    }

    public RealtimeHub realtime() {
        return realtime;
    }

    public ApiOperations operations() {
        return operations;
    }

    public JdbcRoomStore rooms() {
        return rooms;
    }

    /** Recordings of this node's rooms. */
    public io.openlive.engine.record.Recordings recordings() {
        return recordings;
    }

    /** The rooms being cut into HLS on this node. */
    public io.openlive.engine.hls.HlsRooms hls() {
        return hls;
    }

    public StreamHub hub() {
        return hub;
    }

    public Vertx vertx() {
        return vertx;
    }

    public int rtmpPort() {
        return rtmpPort;
    }

    public int httpPort() {
        return httpPort;
    }

    /** The bound port of the component origin's listener. */
    public int componentPort() {
        return componentPort;
    }

    /** Where component bundles are served: {@code --component-origin}, or {@code http://{public-host}:{component-port}}. */
    public String componentOrigin() {
        String configured = config.container().componentOrigin();
        return configured.isEmpty() ? "http://" + config.publicHost() + ":" + componentPort : configured;
    }

    /** openlive's own pages (the demo apps, the home page): the origins allowed to frame every component. */
    public java.util.List<String> platformOrigins() {
        String h = config.publicHost();
        java.util.List<String> out = new java.util.ArrayList<>(java.util.List.of("http://" + h + ":" + httpPort));
        if (h.equals("127.0.0.1") || h.equals("localhost")) { // a browser on this machine may name it either way
            out.add("http://" + (h.equals("localhost") ? "127.0.0.1" : "localhost") + ":" + httpPort);
        }
        return out;
    }

    public ServerConfig config() {
        return config;
    }

    /**
     * Shuts the node down gracefully (SIGTERM runs this): readiness turns false, realtime viewers are told
     * ({@code {"type":"shutdown"}}) and closed with 1001, the listeners stop accepting and close their connections, live
     * streams end (viewers closed, publishers dropped), the rooms that were live are saved as ended, then the bus, Vert.x
     * and the store close. Blocks, so call it from outside the event loops; callbacks of a closed Vert.x never run, which
     * is why this does not chain futures.
     */
    public void close() {
        shuttingDown = true;
        java.util.List<String> live = hub.streams().stream().filter(io.openlive.engine.stream.LiveStream::isLive)
                .map(io.openlive.engine.stream.LiveStream::roomId).toList();
        try {
            realtime.shutdown().await(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("realtime viewers not all told of the shutdown: {}", e.toString());
        }
        try {
            if (http != null) {
                http.close().await(5, java.util.concurrent.TimeUnit.SECONDS);
            }
            if (httpSpread != null) {
                httpSpread.close().await(5, java.util.concurrent.TimeUnit.SECONDS);
            }
            if (demo != null) {
                demo.stop();
            }
            components.close().await(5, java.util.concurrent.TimeUnit.SECONDS);
            rtmp.close().await(5, java.util.concurrent.TimeUnit.SECONDS);
            vertx.cancelTimer(expiryTimer);
            webhooks.close();
            stats.close();
            commerce.close();
            hls.close();
            recordings.close();
            restreams.close();
            hub.close();
            for (String roomId : live) {
                setState(roomId, RoomState.ENDED);
            }
            stateWrites.flushed().get(5, java.util.concurrent.TimeUnit.SECONDS); // before the worker pool and store close
            bus.close();
        } catch (Exception e) {
            log.warn("listeners did not close cleanly: {}", e.toString());
        } finally {
            try {
                vertx.close().await(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                log.warn("vert.x did not close cleanly: {}", e.toString());
            }
            db.close();
        }
    }
}
