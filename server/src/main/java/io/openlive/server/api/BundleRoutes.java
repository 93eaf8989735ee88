package io.openlive.server.api;

import io.openlive.engine.platform.HostApp;
import io.openlive.engine.platform.Platform;
import io.openlive.engine.platform.PlatformException;
import io.openlive.engine.platform.Principal;
import io.openlive.server.http.ApiError;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /bundles/{appId}/{versionId}/{path}}: component files for the containers of one host app, served only while
 * the version is live there (or to its developer and reviewers, with their API key, as a preview), on the component
 * origin only. Every response has a Content-Security-Policy that keeps the component off the network entirely
 * ({@code connect-src 'none'}: it reaches the room only through the container's bridge) and lets only openlive's pages and
 * the host app's origins frame it, and {@code nosniff}. Components run in sandboxed frames whose origin is opaque, so
 * their module scripts and style sheets are cross-origin requests: the files are readable by any origin
 * ({@code Access-Control-Allow-Origin: *}, {@code Cross-Origin-Resource-Policy: cross-origin}), as they are public while live.
 */
public final class BundleRoutes {
    static final String CSP_BASE = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; font-src 'self' data:; connect-src 'none'; "
            + "frame-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'";
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"), Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"), Map.entry("json", "application/json"),
            Map.entry("txt", "text/plain; charset=utf-8"), Map.entry("map", "application/json"),
            Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"), Map.entry("svg", "image/svg+xml"),
            Map.entry("ico", "image/x-icon"), Map.entry("woff", "font/woff"), Map.entry("woff2", "font/woff2"));

    private final Vertx vertx;
    private final Platform platform;
    private final java.util.function.Supplier<java.util.List<String>> platformOrigins;

    /** {@code platformOrigins}: the origins of openlive's own pages, which may frame every component. */
    public BundleRoutes(Vertx vertx, Platform platform, java.util.function.Supplier<java.util.List<String>> platformOrigins) {
        this.vertx = vertx;
        this.platform = platform;
        this.platformOrigins = platformOrigins;
    }

    public void mount(Router router) {
        router.get("/bundles/:appId/:versionId/*").handler(this::serve);
    }

    private void serve(RoutingContext ctx) {
        String appId = ctx.pathParam("appId");
        String versionId = ctx.pathParam("versionId");
        String path = ctx.pathParam("*");
        String key = ApiRoutes.apiKey(ctx.request());
        vertx.executeBlocking(() -> {
            Principal who = key == null ? null : platform.keys().authenticate(key);
            Optional<byte[]> file = platform.bundleFiles().file(who, appId, versionId, path == null ? "" : path);
            String ancestors = frameAncestors(appId);
            return new Object[]{file.orElse(null), ancestors};
        }, false).onComplete(ar -> {
            if (ar.failed()) {
                if (ar.cause() instanceof PlatformException e) {
                    ApiError.send(ctx.response(), ApiRoutes.status(e.kind()), e.code(), e.getMessage());
                } else {
                    ApiError.send(ctx.response(), 500, "INTERNAL", "internal error");
                }
                return;
            }
            byte[] data = (byte[]) ar.result()[0];
            if (data == null) {
                ApiError.send(ctx.response(), 404, "FILE_NOT_FOUND", "no such file for this host app");
                return;
            }
            ctx.response().putHeader("Content-Type", TYPES.getOrDefault(extension(path), "application/octet-stream"))
                    .putHeader("Content-Security-Policy", CSP_BASE + "; frame-ancestors " + ar.result()[1])
                    .putHeader("X-Content-Type-Options", "nosniff")
                    .putHeader("Access-Control-Allow-Origin", "*")
                    .putHeader("Cross-Origin-Resource-Policy", "cross-origin")
                    .putHeader("Referrer-Policy", "no-referrer")
                    .putHeader("Cache-Control", key == null ? "no-cache" : "no-store")
                    .end(Buffer.buffer(data));
        });
    }

    /** openlive's pages (the demo apps and consoles) and the host app's own origins may frame its components. */
    private String frameAncestors(String appId) {
        java.util.LinkedHashSet<String> origins = new java.util.LinkedHashSet<>(platformOrigins.get());
        try {
            HostApp app = platform.apps().get(new Principal("bundle-server", io.openlive.engine.platform.Role.REVIEWER, null), appId);
            origins.addAll(app.origins());
        } catch (PlatformException e) {
            // an unknown app has no files to frame; the platform's pages remain
        }
        return origins.isEmpty() ? "'none'" : String.join(" ", origins);
    }

    private static String extension(String path) {
        int dot = path == null ? -1 : path.lastIndexOf('.');
        return dot < 0 ? "" : path.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
