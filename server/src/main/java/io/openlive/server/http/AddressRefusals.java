package io.openlive.server.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts refusals of one kind in {@code /metrics} ({@code openlive_http_refused_total{reason=…}}) and logs at most one
 * line per remote address per {@link #LOG_INTERVAL_MILLIS}, with how many were refused since the last line, so a flood
 * writes a few lines, not one per connection. Remembers at most {@link #MAX_ADDRESSES} addresses (then starts over).
 * Usage: {@code refusals.refuse("203.0.113.9", "[http :8080]")}.
 */
public final class AddressRefusals {
    static final long LOG_INTERVAL_MILLIS = 10_000;
    static final int MAX_ADDRESSES = 10_000;
    private static final Logger log = LoggerFactory.getLogger(AddressRefusals.class);

    private record Seen(long loggedAt, AtomicLong since) {
    }

    private final String reason;
    private final String what;
    private final Counter counter;
    private final ConcurrentHashMap<String, Seen> seen = new ConcurrentHashMap<>();

    /** {@code reason} is the metric label, {@code what} the limit as a log line names it. */
    public AddressRefusals(MeterRegistry registry, String reason, String what) {
        this.reason = reason;
        this.what = what;
        this.counter = Counter.builder("openlive_http_refused_total").tag("reason", reason)
                .description("HTTP connections and upgrades refused by a per-address limit").register(registry);
    }

    public void refuse(String address, String listener) {
        counter.increment();
        long now = System.currentTimeMillis();
        if (seen.size() > MAX_ADDRESSES) {
            seen.clear();
        }
        boolean[] due = {false};
        Seen s = seen.compute(address, (k, old) -> {
            if (old == null || now - old.loggedAt >= LOG_INTERVAL_MILLIS) {
                due[0] = true;
                return new Seen(now, new AtomicLong(old == null ? 0 : old.since.get()));
            }
            return old;
        });
        long n = s.since.incrementAndGet();
        if (due[0]) {
            log.warn("{} {} refused: {} ({} refused from it since the last line; reason {})", listener, address, what, n, reason);
            s.since.addAndGet(-n);
        }
    }

    public double count() {
        return counter.count();
    }
}
