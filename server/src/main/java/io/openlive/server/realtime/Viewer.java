package io.openlive.server.realtime;

/**
 * Who is on a realtime connection: the token's subject and display name, or an anonymous read-only viewer.
 * {@code expiresAtMillis} is the token's {@code exp} (0 for anonymous viewers): writes stop once it passes.
 */
record Viewer(String id, String name, boolean anonymous, long expiresAtMillis) {
    Viewer(String id, String name, boolean anonymous) {
        this(id, name, anonymous, 0);
    }

    static Viewer anonymous(String connectionId) {
        return new Viewer("anon:" + connectionId, "anonymous", true);
    }

    boolean expired(long nowMillis) {
        return !anonymous && expiresAtMillis > 0 && expiresAtMillis <= nowMillis;
    }
}
