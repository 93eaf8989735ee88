package io.openlive.engine.stream;

/** Runs a task later; the server backs it with Vert.x timers, tests with a scheduled executor. */
public interface Scheduler {
    /** Schedules {@code task} after {@code delayMillis}; the returned handle cancels it. */
    Runnable schedule(long delayMillis, Runnable task);
}
