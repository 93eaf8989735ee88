package io.openlive.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.openlive.engine.platform.BundleLimits;
import io.openlive.engine.platform.Platform;
import io.openlive.engine.platform.PlatformException;
import io.openlive.engine.platform.Principal;
import io.openlive.server.http.ApiError;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Mounts {@link ApiOperations} under {@code /api/v1}: body limits, API-key authentication, JSON parsing, the platform
 * call on a worker thread (JDBC blocks), and one mapping of refusals to {@code {"error":{"code","message"}}}.
 */
public final class ApiRoutes {
    public static final String PREFIX = "/api/v1";
    /** JSON bodies are small documents; anything larger is refused with 413 before it is buffered further. */
    public static final long MAX_JSON_BYTES = 256 * 1024;
    private static final Logger log = LoggerFactory.getLogger(ApiRoutes.class);

    private final Vertx vertx;
    private final Platform platform;
    private final ApiOperations operations;
    private final BundleLimits limits;
    private final byte[] openapi;
    private final UploadGate uploads;

    public ApiRoutes(Vertx vertx, Platform platform, ApiOperations operations, BundleLimits limits) {
        this.vertx = vertx;
        this.platform = platform;
        this.operations = operations;
        this.limits = limits;
        this.openapi = resource("/api/openapi.yaml");
        this.uploads = new UploadGate(vertx, platform, limits.maxUploadBytes());
    }

    /** Publishes the upload slots in use as {@code openlive_uploads_in_progress}. */
    public ApiRoutes measuredBy(io.micrometer.core.instrument.MeterRegistry registry) {
        io.micrometer.core.instrument.Gauge.builder("openlive_uploads_in_progress", uploads, UploadGate::inProgress)
                .description("Bundle uploads whose bodies are being read on this node").register(registry);
        return this;
    }

    public void mount(Router router) {
        router.get(PREFIX + "/openapi.yaml").handler(ctx -> ctx.response().putHeader("Content-Type", "application/yaml")
                .putHeader("Access-Control-Allow-Origin", "*").end(io.vertx.core.buffer.Buffer.buffer(openapi)));
        for (ApiOperation op : operations.all()) {
            long limit = op.body() == ApiOperation.Body.ZIP ? limits.maxUploadBytes() : MAX_JSON_BYTES;
            var route = router.route(HttpMethod.valueOf(op.method()), PREFIX + op.routerPath());
            if (op.body() == ApiOperation.Body.ZIP) {
                route.handler(uploads); // key, role and quota before a byte of the body is read
            }
            route.handler(BodyHandler.create(false).setBodyLimit(limit))
                    .handler(ctx -> handle(op, ctx));
        }
    }

    private void handle(ApiOperation op, RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        String key = apiKey(req);
        Map<String, String> params = new HashMap<>(ctx.pathParams());
        Map<String, String> query = new HashMap<>();
        req.params().forEach(e -> query.putIfAbsent(e.getKey(), e.getValue()));
        byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        String contentType = String.valueOf(req.getHeader("Content-Type")).toLowerCase(Locale.ROOT);
        vertx.executeBlocking(() -> {
            Principal p = op.secured() ? platform.keys().authenticate(key) : null;
            JsonNode json = null;
            byte[] bytes = null;
            switch (op.body()) {
                case JSON -> json = json(body);
                case ZIP -> {
                    if (!contentType.startsWith("application/zip") && !contentType.startsWith("application/octet-stream")) {
                        throw new PlatformException(PlatformException.Kind.UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE",
                                "send the bundle as Content-Type: application/zip");
                    }
                    bytes = body;
                }
                case NONE -> json = ApiJson.MAPPER.createObjectNode();
            }
            ApiOperation.Result r = op.handler().handle(new ApiOperation.Call(p, params, query, json, bytes));
            return new Object[]{r.status(), ApiJson.MAPPER.writeValueAsBytes(r.body())};
        }, false).onComplete(ar -> {
            if (ar.succeeded()) {
                ctx.response().setStatusCode((Integer) ar.result()[0]).putHeader("Content-Type", "application/json")
                        .putHeader("Cache-Control", "no-store")
                        .end(io.vertx.core.buffer.Buffer.buffer((byte[]) ar.result()[1]));
            } else if (ar.cause() instanceof PlatformException e) {
                log.debug("[api {}] {} {} refused: {} {}", req.remoteAddress(), op.method(), req.path(), e.code(), e.getMessage());
                ApiError.send(ctx.response(), status(e.kind()), e.code(), e.getMessage());
            } else {
                log.warn("[api {}] {} {} failed: {}", req.remoteAddress(), op.method(), req.path(), ar.cause().toString());
                ApiError.send(ctx.response(), 500, "INTERNAL", "internal error; the server log has the cause");
            }
        });
    }

    private static JsonNode json(byte[] body) {
        if (body.length == 0) {
            return ApiJson.MAPPER.createObjectNode();
        }
        JsonNode n;
        try {
            n = ApiJson.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw PlatformException.invalid("INVALID_JSON", "body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw PlatformException.invalid("INVALID_JSON", "body is not JSON");
        }
        if (n == null || !n.isObject()) {
            throw PlatformException.invalid("INVALID_JSON", "body must be a JSON object");
        }
        return n;
    }

    /** {@code Authorization: Bearer KEY}, or {@code X-Api-Key: KEY}. */
    static String apiKey(HttpServerRequest req) {
        String auth = req.getHeader("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return auth.substring(7).trim();
        }
        return req.getHeader("X-Api-Key");
    }

    public static int status(PlatformException.Kind kind) {
        return switch (kind) {
            case INVALID -> 400;
            case UNAUTHORIZED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case TOO_LARGE -> 413;
            case UNSUPPORTED_MEDIA_TYPE -> 415;
        };
    }

    private static byte[] resource(String name) {
        try (InputStream in = ApiRoutes.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
