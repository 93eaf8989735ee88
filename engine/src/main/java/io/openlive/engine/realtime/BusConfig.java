package io.openlive.engine.realtime;

/**
 * Limits of room history and presence.
 *
 * @param historyCount      messages kept per room for recovery (default 1000)
 * @param historyAgeMillis  oldest message kept for recovery (default 5 minutes)
 * @param presenceTtlMillis a node that stops reporting drops out of presence after this long (default 3 s)
 */
public record BusConfig(int historyCount, long historyAgeMillis, long presenceTtlMillis) {
    public static BusConfig defaults() {
        return new BusConfig(1000, 5 * 60_000, 3_000);
    }
}
