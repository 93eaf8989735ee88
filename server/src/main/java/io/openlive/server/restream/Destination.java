package io.openlive.server.restream;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * One outside RTMP or RTMPS ingest a room pushes to: {@code rtmp[s]://host[:port]/app[/more]} plus a stream key. Parsing
 * refuses anything else with a message fit for a 400. The key is a secret: {@link #maskedKey()} is all that leaves the
 * server, and {@link #toString()} leaves it out. Usage: {@code Destination d = Destination.parse(id, room, url, key, true, now);}
 */
public record Destination(String id, String roomId, String url, String key, boolean enabled, long createdAt) {
    public static final int MAX_URL = 1024;
    public static final int MAX_KEY = 512;

    public static Destination parse(String id, String roomId, String url, String key, boolean enabled, long createdAt) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("'url' is required, e.g. rtmp://ingest.example.com/live");
        }
        if (url.length() > MAX_URL) {
            throw new IllegalArgumentException("'url' is longer than " + MAX_URL + " characters");
        }
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("'key' (the destination's stream key) is required");
        }
        if (key.length() > MAX_KEY || key.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw new IllegalArgumentException("'key' must be 1 to " + MAX_KEY + " printable characters without spaces");
        }
        Destination d = new Destination(id, roomId, url, key, enabled, createdAt);
        d.target(); // validates the URL
        return d;
    }

    /** Where to connect: host, port, whether TLS, the RTMP app (path after the host) and the tcUrl. */
    public Target target() {
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'url' is not a valid URL");
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("rtmp") && !scheme.equals("rtmps")) {
            throw new IllegalArgumentException("'url' must start with rtmp:// or rtmps://");
        }
        if (u.getHost() == null || u.getHost().isEmpty()) {
            throw new IllegalArgumentException("'url' has no host");
        }
        if (u.getUserInfo() != null || u.getQuery() != null || u.getFragment() != null) {
            throw new IllegalArgumentException("'url' must not carry user info, a query or a fragment; put the key in 'key'");
        }
        String path = u.getPath() == null ? "" : u.getPath();
        String app = path.replaceAll("^/+|/+$", "");
        if (app.isEmpty()) {
            throw new IllegalArgumentException("'url' has no application path, e.g. rtmp://host/live");
        }
        boolean tls = scheme.equals("rtmps");
        int port = u.getPort() > 0 ? u.getPort() : tls ? 443 : 1935;
        return new Target(u.getHost(), port, tls, app, scheme + "://" + u.getHost() + ":" + port + "/" + app);
    }

    /** The key as the API shows it: the first two and last two characters at most, never more than a quarter of it. */
    public String maskedKey() {
        int show = key.length() >= 16 ? 2 : key.length() >= 8 ? 1 : 0;
        return key.substring(0, show) + "…" + key.substring(key.length() - show);
    }

    @Override
    public String toString() {
        return "Destination[" + id + " room=" + roomId + " url=" + url + "]";
    }

    public record Target(String host, int port, boolean tls, String app, String tcUrl) {
    }
}
