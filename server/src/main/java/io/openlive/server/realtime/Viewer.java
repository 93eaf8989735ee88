package io.openlive.server.realtime;

/** Who is on a realtime connection: the token's subject and display name, or an anonymous read-only viewer. */
record Viewer(String id, String name, boolean anonymous) {
    static Viewer anonymous(String connectionId) {
        return new Viewer("anon:" + connectionId, "anonymous", true);
    }
}
