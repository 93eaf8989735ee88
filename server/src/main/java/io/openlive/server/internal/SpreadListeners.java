package io.openlive.server.internal;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;

import java.util.function.IntFunction;

/**
 * One port served from every event loop. Vert.x hands all connections a server accepts to the event loop of the context
 * that listened, so one listener puts every viewer of a node on one loop whatever {@code --event-loops} says. Vert.x
 * shares a port between servers that listen on it from different contexts and spreads accepted connections over them in
 * turn; so the first listener binds (port 0 picks one), and one more listener per remaining loop, each deployed in its
 * own verticle (a context of its own on the next loop), listens on the same address.
 *
 * <p>Usage: {@code SpreadListeners.listen(vertx, loops, port -> listenOne(port), port -> closeThatOne(port), 8080)}; the
 * listeners made on the other loops close with {@link Spread#close()}.
 */
public final class SpreadListeners {
    private SpreadListeners() {
    }

    /** The port bound, and what closes the listeners made for the other loops. */
    public record Spread(int port, Vertx vertx, String deployment) {
        public Future<Void> close() {
            return deployment == null ? Future.succeededFuture() : vertx.undeploy(deployment);
        }
    }

    /**
     * Calls {@code listenOn} with one port once here and once on each of {@code loops - 1} other contexts; each call
     * makes a new server and answers the port it bound. Vert.x shares a server by the address it was asked for, and
     * port 0 is not shared (each call would bind a port of its own), so for port 0 a first listener finds a free port
     * (closed by {@code release}) and every listener then asks for that one.
     */
    public static Future<Spread> listen(Vertx vertx, int loops, IntFunction<Future<Integer>> listenOn,
                                        java.util.function.IntFunction<Future<Void>> release, int port) {
        if (loops <= 1) {
            return listenOn.apply(port).map(bound -> new Spread(bound, vertx, null));
        }
        Future<Integer> chosen = port != 0 ? Future.succeededFuture(port)
                : listenOn.apply(0).compose(free -> release.apply(free).map(free));
        return chosen.compose(p -> listenOn.apply(p).compose(bound -> vertx.deployVerticle(() -> new VerticleBase() {
            @Override
            public Future<?> start() {
                return listenOn.apply(bound).compose(q -> q.intValue() == bound.intValue() ? Future.succeededFuture()
                        : Future.failedFuture("a listener bound port " + q + ", not the shared " + bound));
            }
        }, new DeploymentOptions().setInstances(loops - 1)).map(id -> new Spread(bound, vertx, id))));
    }
}
