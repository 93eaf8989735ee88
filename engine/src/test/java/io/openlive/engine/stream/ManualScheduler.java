package io.openlive.engine.stream;

import java.util.ArrayList;
import java.util.List;

/** A clock and timer queue that move only when the test says so. */
final class ManualScheduler implements Scheduler {
    private long nanos = 1_000_000_000L;
    private final List<long[]> due = new ArrayList<>();
    private final List<Runnable> tasks = new ArrayList<>();

    @Override
    public synchronized Runnable schedule(long delayMillis, Runnable task) {
        long[] at = {nanos + delayMillis * 1_000_000};
        due.add(at);
        tasks.add(task);
        return () -> {
            synchronized (this) {
                int i = due.indexOf(at);
                if (i >= 0) {
                    due.remove(i);
                    tasks.remove(i);
                }
            }
        };
    }

    @Override
    public synchronized long nanoTime() {
        return nanos;
    }

    void advanceMillis(long millis) {
        List<Runnable> run = new ArrayList<>();
        synchronized (this) {
            nanos += millis * 1_000_000;
            for (int i = 0; i < due.size(); ) {
                if (due.get(i)[0] <= nanos) {
                    due.remove(i);
                    run.add(tasks.remove(i));
                } else {
                    i++;
                }
            }
        }
        run.forEach(Runnable::run);
    }
}
