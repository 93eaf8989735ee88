package io.openlive.server.api;

import io.openlive.engine.platform.Platform;
import io.openlive.engine.platform.PlatformException;
import io.openlive.engine.platform.Principal;
import io.openlive.server.http.ApiError;
import io.vertx.ext.web.handler.SecurityPolicyHandler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs before a bundle upload's body is read: the declared length is within the limit, a slot among at most
 * {@link #DEFAULT_MAX_CONCURRENT} uploads in progress is free, and the API key is a developer's that may upload this
 * component now (its own, under the draft quota). Anything else is answered at once with the connection closed, so an
 * anonymous client never makes the node buffer a body (300 keyless 8 MiB uploads took 3.6 GB before this gate).
 *
 * <p>Usage: {@code router.post(path).handler(new UploadGate(vertx, platform, limit)).handler(BodyHandler.create()...)}.
 */
final class UploadGate implements SecurityPolicyHandler { // a policy handler: Vert.x Web runs these before body handlers
    /** Uploads whose bodies may be buffered at the same time on one node. */
    static final int DEFAULT_MAX_CONCURRENT = 4;
    private static final Logger log = LoggerFactory.getLogger(UploadGate.class);

    private final Vertx vertx;
    private final Platform platform;
    private final long maxBytes;
    private final int maxConcurrent;
    private final AtomicInteger inProgress = new AtomicInteger();

    UploadGate(Vertx vertx, Platform platform, long maxBytes) {
        this(vertx, platform, maxBytes, DEFAULT_MAX_CONCURRENT);
    }

    /** Uploads holding a slot now: shown in /metrics, so an operator sees a node whose slots are held by slow clients. */
    int inProgress() {
        return inProgress.get();
    }

    UploadGate(Vertx vertx, Platform platform, long maxBytes, int maxConcurrent) {
        this.vertx = vertx;
        this.platform = platform;
        this.maxBytes = maxBytes;
        this.maxConcurrent = maxConcurrent;
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        req.pause();
        long declared = declaredLength(req);
        if (inProgress.incrementAndGet() > maxConcurrent) {
            inProgress.decrementAndGet();
            ctx.response().putHeader("Retry-After", "5");
            refuse(ctx, 503, "TOO_MANY_UPLOADS", "the node takes at most " + maxConcurrent + " uploads at a time; retry shortly");
            return;
        }
        ctx.addEndHandler(done -> inProgress.decrementAndGet());
        String key = ApiRoutes.apiKey(req);
        String componentId = ctx.pathParam("componentId");
        vertx.executeBlocking(() -> {
            Principal p = platform.keys().authenticate(key);
            platform.components().requireUploadAllowed(p, componentId);
            return p;
        }, false).onComplete(ar -> {
            if (ar.succeeded() && declared > maxBytes) {
                refuse(ctx, 413, "TOO_LARGE", "bundle is " + declared + " bytes; the limit is " + maxBytes);
            } else if (ar.succeeded()) {
                ctx.next(); // the body handler resumes the request
            } else if (ar.cause() instanceof PlatformException e) {
                refuse(ctx, ApiRoutes.status(e.kind()), e.code(), e.getMessage());
            } else {
                log.warn("[api {}] upload check failed: {}", req.remoteAddress(), ar.cause().toString());
                refuse(ctx, 500, "INTERNAL", "internal error; the server log has the cause");
            }
        });
    }

    private static long declaredLength(HttpServerRequest req) {
        try {
            String v = req.getHeader("Content-Length");
            return v == null ? -1 : Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Answers without buffering the body: what the client still sends is read and discarded (so an ordinary client, busy
     * sending, reads the answer), and the connection closes once more than the upload limit has been discarded.
     */
    private void refuse(RoutingContext ctx, int status, String code, String message) {
        HttpServerRequest req = ctx.request();
        long[] discarded = {0};
        req.handler(b -> {
            discarded[0] += b.length();
            if (discarded[0] > maxBytes) {
                req.connection().close();
            }
        });
        req.resume();
        ApiError.send(ctx.response(), status, code, message);
    }
}
