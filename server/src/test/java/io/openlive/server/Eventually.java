package io.openlive.server;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition on a real server, bounded in time. */
public final class Eventually {
    private Eventually() {
    }

    public static void await(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + limit + " waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
