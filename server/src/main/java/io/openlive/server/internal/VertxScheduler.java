package io.openlive.server.internal;

import io.openlive.engine.stream.Scheduler;
import io.vertx.core.Vertx;

/** Engine timers on Vert.x timers. */
public final class VertxScheduler implements Scheduler {
    private final Vertx vertx;

    public VertxScheduler(Vertx vertx) {
        this.vertx = vertx;
    }

    @Override
    public Runnable schedule(long delayMillis, Runnable task) {
        long id = vertx.setTimer(Math.max(1, delayMillis), t -> task.run());
        return () -> vertx.cancelTimer(id);
    }
}
