package io.openlive.server.rtmp;

/**
 * What the RTMP port allows a connection that has not yet published or played, and an address (docs/SECURITY.md).
 *
 * @param admissionDeadlineSeconds a new connection must publish or play within this (default 10 s, ample for a handshake
 *                                 and three commands on any link), whatever it sends meanwhile
 * @param maxPendingPerAddress     connections one remote address may hold that have not yet published or played
 *                                 (default 256: many viewers behind one NAT connect at once but do not linger, and each
 *                                 holds only the small pre-publish buffers; 0 = no limit, as the bench scripts run, whose
 *                                 load tool ramps 1,000 players a second from the one loopback address)
 */
public record RtmpLimits(int admissionDeadlineSeconds, int maxPendingPerAddress) {
    public static final int DEFAULT_ADMISSION_DEADLINE_SECONDS = 10;
    public static final int DEFAULT_MAX_PENDING_PER_ADDRESS = 256;

    public RtmpLimits {
        if (admissionDeadlineSeconds <= 0) {
            throw new IllegalArgumentException("the RTMP admission deadline must be positive, not " + admissionDeadlineSeconds + " s");
        }
        if (maxPendingPerAddress < 0) {
            throw new IllegalArgumentException("pending RTMP connections per address are 0 (no limit) or positive, not " + maxPendingPerAddress);
        }
    }

    public static RtmpLimits defaults() {
        return new RtmpLimits(DEFAULT_ADMISSION_DEADLINE_SECONDS, DEFAULT_MAX_PENDING_PER_ADDRESS);
    }

    public RtmpLimits withMaxPendingPerAddress(int max) {
        return new RtmpLimits(admissionDeadlineSeconds, max);
    }
}
