package io.openlive.server.http;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per remote address: {@code perSecond} tokens a second, at most {@code 2 × perSecond} saved up. Forgets
 * every address once it knows {@link #MAX_ADDRESSES} (a full bucket each, which only lets a burst through again).
 * Usage: {@code if (!rate.take("203.0.113.9")) refuse();}.
 */
public final class AddressRate {
    static final int MAX_ADDRESSES = 50_000;

    private static final class Bucket {
        double tokens;
        long at;
    }

    private final int perSecond;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** {@code perSecond} 0 takes every request. */
    public AddressRate(int perSecond) {
        this.perSecond = perSecond;
    }

    public boolean take(String address) {
        if (perSecond == 0) {
            return true;
        }
        if (buckets.size() > MAX_ADDRESSES) {
            buckets.clear();
        }
        long now = System.nanoTime();
        Bucket b = buckets.computeIfAbsent(address, k -> {
            Bucket fresh = new Bucket();
            fresh.tokens = 2.0 * perSecond;
            fresh.at = now;
            return fresh;
        });
        synchronized (b) {
            b.tokens = Math.min(2.0 * perSecond, b.tokens + (now - b.at) / 1e9 * perSecond);
            b.at = now;
            if (b.tokens < 1) {
                return false;
            }
            b.tokens -= 1;
            return true;
        }
    }
}
