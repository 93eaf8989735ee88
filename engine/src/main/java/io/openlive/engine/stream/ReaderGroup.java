package io.openlive.engine.stream;

import io.netty.util.concurrent.EventExecutor;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * The readers of one {@link LiveStream} that drain on the same executor (one event loop). The publisher signals the
 * group, not each viewer: one task per event loop per batch, which then drains every reader of that loop in turn. A
 * join or leave is one operation on a concurrent set, so a join storm costs linear time, not the quadratic copying of
 * a copy-on-write list. Usage: {@code group.add(reader); group.signal();}
 */
final class ReaderGroup implements Runnable {
    private final Executor executor;
    private final BooleanSupplier inExecutor;
    private final Set<StreamReader> readers = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    /** Set while draining on the executor, so a signal from inside a drain queues a task instead of re-entering. */
    private boolean running;

    /** A group for {@code first}'s executor; a sink whose executor is not an event loop tells us when we are on it. */
    ReaderGroup(Executor executor, FrameSink first) {
        this.executor = executor;
        this.inExecutor = executor instanceof EventExecutor loop ? loop::inEventLoop : first::inExecutor;
    }

    void add(StreamReader reader) {
        readers.add(reader);
    }

    boolean remove(StreamReader reader) {
        return readers.remove(reader);
    }

    Iterable<StreamReader> readers() {
        return readers;
    }

    /** New frames: drain every reader of this executor, at once when already on it, else in one task. */
    void signal() {
        if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
            if (!running && inExecutor.getAsBoolean()) {
                run();
            } else {
                executor.execute(this);
            }
        }
    }

    @Override
    public void run() {
        scheduled.set(false);
        running = true;
        try {
            for (StreamReader reader : readers) {
                reader.drainNow();
            }
        } finally {
            running = false;
        }
    }
}
