package io.openlive.server.restream;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state of one destination on this node: what the API and {@code /metrics} show, and the back-off between attempts
 * (1 s doubling to {@link #MAX_BACKOFF_MS}, reset once a publish starts). Guarded by its own monitor: the connection's
 * event loop, Vert.x timers and API workers all touch it.
 */
final class RestreamLink {
    enum State { STOPPED, CONNECTING, CONNECTED, BACKOFF }

    static final long FIRST_BACKOFF_MS = 1_000;
    static final long MAX_BACKOFF_MS = 30_000;

    final String id;
    final String roomId;
    private Destination destination;
    private State state = State.STOPPED;
    private long bytesSent;
    private long reconnects;
    private String lastError;
    private long backoffMs = FIRST_BACKOFF_MS;
    private long timer = -1;
    private RtmpPush push;
    private boolean wanted;

    RestreamLink(Destination destination) {
        this.id = destination.id();
        this.roomId = destination.roomId();
        this.destination = destination;
        this.wanted = destination.enabled();
    }

    synchronized Destination destination() {
        return destination;
    }

    synchronized void destination(Destination d) {
        destination = d;
        wanted = d.enabled();
    }

    synchronized boolean wanted() {
        return wanted;
    }

    synchronized State state() {
        return state;
    }

    synchronized void connecting() {
        state = State.CONNECTING;
        timer = -1;
    }

    synchronized void push(RtmpPush p) {
        push = p;
    }

    synchronized RtmpPush push() {
        return push;
    }

    synchronized void connected(RtmpPush p) {
        if (p == push) {
            state = State.CONNECTED;
            backoffMs = FIRST_BACKOFF_MS;
        }
    }

    /** A failed attempt or a dropped connection; returns the delay before the next attempt. */
    synchronized long failed(String reason) {
        push = null;
        lastError = reason;
        reconnects++;
        state = State.BACKOFF;
        long delay = backoffMs;
        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        return delay;
    }

    synchronized void timer(long id) {
        timer = id;
    }

    /** Stops: returns the pending retry timer (or -1) for the caller to cancel. */
    synchronized long stopped() {
        state = State.STOPPED;
        push = null;
        long t = timer;
        timer = -1;
        return t;
    }

    synchronized void sent(int bytes) {
        bytesSent += bytes;
    }

    synchronized long bytesSent() {
        return bytesSent;
    }

    synchronized long reconnects() {
        return reconnects;
    }

    /** The API's view: never the full key. */
    synchronized Map<String, Object> view() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("roomId", roomId);
        m.put("url", destination.url());
        m.put("key", destination.maskedKey());
        m.put("enabled", wanted);
        m.put("state", state.name().toLowerCase(java.util.Locale.ROOT));
        m.put("bytesSent", bytesSent);
        m.put("reconnects", reconnects);
        m.put("lastError", lastError);
        m.put("createdAt", destination.createdAt());
        return m;
    }
}
