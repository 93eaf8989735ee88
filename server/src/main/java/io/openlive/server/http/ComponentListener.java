package io.openlive.server.http;

import io.openlive.engine.platform.Platform;
import io.openlive.server.api.BundleRoutes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

import java.util.List;
import java.util.function.Supplier;

/**
 * The component origin: a listener of its own that serves only component bundles ({@code /bundles/{appId}/{versionId}/…})
 * and the component SDK ({@code /sdk/component.js}, the same bytes as on the platform origin), so that components never
 * share an origin with the API, the consoles or a host page. Everything else is a JSON 404. Usage:
 * {@code new ComponentListener(vertx, platform, web, origins).listen("0.0.0.0", 8081)}.
 */
public final class ComponentListener {
    private final Vertx vertx;
    private final Router router;
    private HttpServer server;
    private HttpDoor door;

    public ComponentListener(Vertx vertx, Platform platform, WebRoot web, Supplier<List<String>> platformOrigins) {
        this.vertx = vertx;
        this.router = Router.router(vertx);
        new BundleRoutes(vertx, platform, platformOrigins).mount(router);
        router.get("/sdk/component.js").handler(ctx -> {
            ctx.response().putHeader("Access-Control-Allow-Origin", "*"); // imported by frames of an opaque origin
            web.serveFile(ctx, "sdk/component.js");
        });
        router.route().last().handler(ctx -> ApiError.send(ctx.response(), 404, "NOT_FOUND",
                "the component origin serves only /bundles/… and /sdk/component.js"));
        router.route().failureHandler(ctx -> ApiError.send(ctx.response(), ctx.statusCode() > 0 ? ctx.statusCode() : 500,
                "INTERNAL", "internal error"));
    }

    /** Puts the listener behind a door (head deadline, idle time-out, per-address cap); before {@link #listen}. */
    public ComponentListener guard(HttpDoor door) {
        this.door = door;
        return this;
    }

    /** Binds and returns the port (0 picks a free one). */
    public Future<Integer> listen(String host, int port) {
        // browsers never speak h2c, and with it on Vert.x makes the connection (and calls the door) only after the first
        // request head, which is exactly what a slow client never finishes
        server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port).setTcpNoDelay(true)
                .setHttp2ClearTextEnabled(false));
        return (door == null ? server.requestHandler(router) : door.attach(server, router)).listen().map(HttpServer::actualPort);
    }

    public Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
