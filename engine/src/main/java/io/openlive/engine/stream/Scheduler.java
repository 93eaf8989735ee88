package io.openlive.engine.stream;

/** Time for the engine: runs tasks later and reads a monotonic clock. The server backs it with Vert.x timers. */
public interface Scheduler {
    /** Monotonic nanoseconds, as {@link System#nanoTime()}. */
    default long nanoTime() {
        return System.nanoTime();
    }

    /** Schedules {@code task} after {@code delayMillis}; the returned handle cancels it. */
    Runnable schedule(long delayMillis, Runnable task);
}
