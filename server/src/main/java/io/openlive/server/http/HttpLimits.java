package io.openlive.server.http;

import java.time.Duration;

/**
 * What an HTTP listener allows a connection and an address (docs/SECURITY.md).
 *
 * @param headDeadline              a new connection must finish its first request head within this (default 10 s),
 *                                  whatever it trickles meanwhile
 * @param idleTimeout               a keep-alive connection with no request in progress is closed after this (default
 *                                  60 s); a response still being written (HTTP-FLV) and an upgraded WebSocket are never idle
 * @param maxConnectionsPerAddress  open connections one remote address may hold on the listener (default 512, enough for
 *                                  a real NAT; 0 = no limit, as the bench scripts run)
 * @param anonymousRtPerSecond      anonymous {@code /rt} upgrades one address may make per second, with a burst of twice
 *                                  that (default 20; 0 = no limit)
 */
public record HttpLimits(Duration headDeadline, Duration idleTimeout, int maxConnectionsPerAddress, int anonymousRtPerSecond) {
    public HttpLimits {
        if (headDeadline.isNegative() || headDeadline.isZero() || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("the head deadline and the idle time-out must be positive");
        }
        if (maxConnectionsPerAddress < 0 || anonymousRtPerSecond < 0) {
            throw new IllegalArgumentException("per-address limits are 0 (off) or positive");
        }
    }

    public static HttpLimits defaults() {
        return new HttpLimits(Duration.ofSeconds(10), Duration.ofSeconds(60), 512, 20);
    }
}
