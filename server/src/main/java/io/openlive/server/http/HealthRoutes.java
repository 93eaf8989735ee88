package io.openlive.server.http;

import io.openlive.engine.realtime.RoomBus;
import io.openlive.server.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.function.BooleanSupplier;

/**
 * Probes for load balancers and orchestrators. {@code GET /healthz}: the process answers (liveness; always 200 while it
 * runs). {@code GET /readyz}: 200 when the node can serve — the store answers within {@link #STORE_TIMEOUT_SECONDS}, the
 * room bus is connected (false while Redis is down or being reconnected to), and the listeners are bound and not
 * shutting down; otherwise 503. Both bodies are JSON: {@code {"status":"ready","checks":{"store":true,"bus":true,
 * "listeners":true}}}. Usage: {@code new HealthRoutes(vertx, db, bus, () -> listening).mount(router)}.
 */
public final class HealthRoutes {
    static final int STORE_TIMEOUT_SECONDS = 2;

    private final Vertx vertx;
    private final Database db;
    private final RoomBus bus;
    private final BooleanSupplier listening;

    public HealthRoutes(Vertx vertx, Database db, RoomBus bus, BooleanSupplier listening) {
        this.vertx = vertx;
        this.db = db;
        this.bus = bus;
        this.listening = listening;
    }

    public void mount(Router router) {
        router.get("/readyz").handler(this::ready);
    }

    private void ready(RoutingContext ctx) {
        // JDBC blocks: the store is asked on a worker, never on the event loop
        Future<Boolean> store = vertx.executeBlocking(() -> db.isReachable(STORE_TIMEOUT_SECONDS), false);
        store.otherwise(false).onComplete(ar -> {
            boolean storeOk = ar.result();
            boolean busOk = bus.isConnected();
            boolean listenersOk = listening.getAsBoolean();
            boolean ready = storeOk && busOk && listenersOk;
            JsonObject body = new JsonObject().put("status", ready ? "ready" : "not ready")
                    .put("checks", new JsonObject().put("store", storeOk).put("bus", busOk).put("listeners", listenersOk));
            ctx.response().setStatusCode(ready ? 200 : 503).putHeader("Content-Type", "application/json").end(body.encode());
        });
    }
}
