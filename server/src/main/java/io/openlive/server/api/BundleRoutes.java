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
 * the version is live there (or to its developer and reviewers, with their API key, as a preview). Every response has a
 * Content-Security-Policy that keeps the component off the network except for openlive itself, and {@code nosniff}.
 */
public final class BundleRoutes {
    static final String CSP_BASE = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data: blob:; font-src 'self' data:; media-src 'self' blob:; connect-src 'self'; "
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

    public BundleRoutes(Vertx vertx, Platform platform) {
        this.vertx = vertx;
        this.platform = platform;
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
                    .putHeader("Cross-Origin-Resource-Policy", "same-origin")
                    .putHeader("Referrer-Policy", "no-referrer")
                    .putHeader("Cache-Control", key == null ? "no-cache" : "no-store")
                    .end(Buffer.buffer(data));
        });
    }

    /** The host app's own origins may frame its components, and openlive's pages (the container itself). */
    private String frameAncestors(String appId) {
        try {
            HostApp app = platform.apps().get(new Principal("bundle-server", io.openlive.engine.platform.Role.REVIEWER, null), appId);
            return app.origins().isEmpty() ? "'self'" : "'self' " + String.join(" ", app.origins());
        } catch (PlatformException e) {
            return "'self'";
        }
    }

    private static String extension(String path) {
        int dot = path == null ? -1 : path.lastIndexOf('.');
        return dot < 0 ? "" : path.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
