package io.openlive.server.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.openlive.server.internal.ClasspathFolder;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Static files from a classpath folder (the pages and browser SDK under {@code web/}): {@code /} is {@code index.html},
 * {@code /demo/shop} redirects to {@code /demo/shop/}, a folder path ending in {@code /} serves its {@code index.html}.
 * There is no build step, so names are not hashed: every response says {@code Cache-Control: no-cache} with an ETag (a
 * SHA-256 of the bytes) and a matching {@code If-None-Match} gets 304.
 *
 * <p>Limits: the folder is read into memory once, at start-up (at most {@link #MAX_BYTES}; it is part of the jar), so a
 * request never touches the file system and a miss costs a map lookup; path segments are plain names
 * ({@code [A-Za-z0-9_-][A-Za-z0-9_.-]*}, at most {@link #MAX_DEPTH} deep), so no dot-segment, encoded slash or
 * backslash can name anything outside it. Anything else falls through to the next route (a JSON 404). Blocks while
 * constructed.
 *
 * <p>The broadcaster console ({@code console/}) handles API keys, so its files carry {@link #CONSOLE_CSP}: scripts, styles
 * and requests from this origin only, nothing inline, no frames. The demo pages and SDK are embedded by others and keep
 * no policy of their own here. Usage: {@code new WebRoot("web").mount(router);} after the other routes.
 */
public final class WebRoot {
    static final int MAX_DEPTH = 8;
    /** The pages, SDK and vendored player are a few MiB; more is a packaging mistake. */
    static final long MAX_BYTES = 64L << 20;
    /** The console's policy: its own modules and uPlot from web/vendor, its API calls, nothing else. */
    static final String CONSOLE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}");
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"), Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json"), Map.entry("map", "application/json"),
            Map.entry("txt", "text/plain; charset=utf-8"), Map.entry("md", "text/markdown; charset=utf-8"),
            Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"), Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"),
            Map.entry("ico", "image/x-icon"), Map.entry("woff2", "font/woff2"), Map.entry("woff", "font/woff"),
            Map.entry("yaml", "application/yaml"), Map.entry("wasm", "application/wasm"));

    /** One file as served: bytes, type and entity tag. */
    record Asset(Buffer bytes, String type, String etag, String policy) {
    }

    private final Map<String, Asset> files = new HashMap<>();

    public WebRoot(String folder) {
        ClasspathFolder.read(folder, MAX_BYTES).forEach((name, bytes) -> {
            if (isPlain(name) && hasExtension(name)) {
                files.put(name, new Asset(Buffer.buffer(bytes), TYPES.getOrDefault(extension(name), "application/octet-stream"), etag(bytes),
                        name.startsWith("console/") ? CONSOLE_CSP : null));
            }
        });
    }

    public void mount(Router router) {
        router.route().method(HttpMethod.GET).method(HttpMethod.HEAD).handler(this::serve);
    }

    /** Serves one known path (such as {@code sdk/component.js}) whatever the request path: for other listeners. */
    public void serveFile(RoutingContext ctx, String path) {
        Asset asset = files.get(path);
        if (asset == null) {
            ctx.next();
        } else {
            send(ctx, asset);
        }
    }

    private void serve(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        String relative = path.endsWith("/") ? path.substring(1) + "index.html" : path.substring(1);
        if (!isPlain(relative)) {
            ctx.next();
            return;
        }
        if (!hasExtension(relative)) {
            // a folder named without its slash: send the browser to the slash form, so relative links resolve in it
            if (files.containsKey(relative + "/index.html")) {
                String query = ctx.request().query();
                ctx.response().setStatusCode(301).putHeader("Location", path + "/" + (query == null ? "" : "?" + query)).end();
            } else {
                ctx.next();
            }
            return;
        }
        serveFile(ctx, relative);
    }

    private static void send(RoutingContext ctx, Asset asset) {
        var response = ctx.response().putHeader("Content-Type", asset.type()).putHeader("Cache-Control", "no-cache")
                .putHeader("ETag", asset.etag()).putHeader("X-Content-Type-Options", "nosniff");
        if (asset.policy() != null) {
            response.putHeader("Content-Security-Policy", asset.policy()).putHeader("Referrer-Policy", "no-referrer");
        }
        String match = ctx.request().getHeader("If-None-Match");
        if (match != null && (match.contains(asset.etag()) || match.trim().equals("*"))) {
            response.setStatusCode(304).end();
        } else if (ctx.request().method() == HttpMethod.HEAD) {
            response.putHeader("Content-Length", String.valueOf(asset.bytes().length())).end();
        } else {
            response.end(asset.bytes());
        }
    }

    /** Only plain names: no empty, dot or dot-dot segment, no backslash or percent sign, not too deep. */
    static boolean isPlain(String relative) {
        String[] segments = relative.split("/", -1);
        if (segments.length > MAX_DEPTH) {
            return false;
        }
        for (String s : segments) {
            if (!SEGMENT.matcher(s).matches() || s.contains("..")) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasExtension(String relative) {
        String last = relative.substring(relative.lastIndexOf('/') + 1);
        return last.indexOf('.') > 0;
    }

    private static String extension(String relative) {
        return relative.substring(relative.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    }

    private static String etag(byte[] bytes) {
        try {
            return "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
