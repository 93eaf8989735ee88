package io.openlive.server.demo;

import io.openlive.server.http.ApiError;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The demo host apps' small backend, mounted only in demo mode: {@code GET /demo/api/config} says which room and apps the
 * demo pages show and where components are served; {@code GET /demo/api/token?app=shop|pay[&name=Mia][&id=…]} signs a
 * viewer token (HS256 JWT with {@code sub}, {@code name}, {@code app}, {@code exp} ten minutes ahead) with that demo app's
 * secret, as a host app's own backend would. A new random viewer id per call unless {@code id} is given. The secrets
 * stay in this process: they are read from the store, used to sign, and neither sent nor logged.
 */
public final class DemoRoutes {
    static final long TOKEN_SECONDS = 600;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final int MAX_NAME = 64;
    private static final String[] NAMES = {"Mia", "Noah", "Ava", "Leo", "Zoe", "Kai", "Lena", "Omar", "Sofia", "Ravi"};

    private final Vertx vertx;
    private final DemoApps apps;
    private final DemoApps.Ids ids;
    private final Supplier<String> componentOrigin;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, JWTAuth> signers = new ConcurrentHashMap<>();

    public DemoRoutes(Vertx vertx, DemoApps apps, DemoApps.Ids ids, Supplier<String> componentOrigin) {
        this.vertx = vertx;
        this.apps = apps;
        this.ids = ids;
        this.componentOrigin = componentOrigin;
    }

    public void mount(Router router) {
        router.get("/demo/api/config").handler(ctx -> json(ctx, new JsonObject().put("room", ids.room())
                .put("apps", new JsonObject().put("shop", ids.shop()).put("pay", ids.pay()))
                .put("componentOrigin", componentOrigin.get())));
        router.get("/demo/api/token").handler(this::token);
    }

    private void token(RoutingContext ctx) {
        String which = ctx.request().getParam("app");
        String appId = "shop".equals(which) ? ids.shop() : "pay".equals(which) ? ids.pay() : null;
        if (appId == null) {
            ApiError.send(ctx.response(), 400, "INVALID_APP", "app must be shop or pay");
            return;
        }
        String id = ctx.request().getParam("id");
        if (id != null && !ID.matcher(id).matches()) {
            ApiError.send(ctx.response(), 400, "INVALID_ID", "id must be 1 to 64 letters, digits, '_', '.' or '-'");
            return;
        }
        String name = ctx.request().getParam("name");
        if (name != null && (name.isBlank() || name.length() > MAX_NAME)) {
            ApiError.send(ctx.response(), 400, "INVALID_NAME", "name must be 1 to " + MAX_NAME + " characters");
            return;
        }
        String viewerId = id != null ? id : "demo-" + HexFormat.of().formatHex(bytes(6));
        String viewerName = name != null ? name.strip() : NAMES[random.nextInt(NAMES.length)] + " " + (100 + random.nextInt(900));
        vertx.executeBlocking(() -> apps.secret(appId), false).onComplete(ar -> {
            if (ar.failed()) {
                ApiError.send(ctx.response(), 500, "INTERNAL", "demo app unavailable");
                return;
            }
            long exp = System.currentTimeMillis() / 1000 + TOKEN_SECONDS;
            String token = signer(appId, ar.result()).generateToken(new JsonObject().put("sub", viewerId).put("name", viewerName)
                    .put("app", appId).put("exp", exp), new JWTOptions().setAlgorithm("HS256").setNoTimestamp(false));
            ctx.response().putHeader("Cache-Control", "no-store");
            json(ctx, new JsonObject().put("token", token).put("exp", exp)
                    .put("viewer", new JsonObject().put("id", viewerId).put("name", viewerName)));
        });
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** One signer per app and secret, so a rotated secret gets a new one. */
    private JWTAuth signer(String appId, String secret) {
        if (signers.size() > 16) {
            signers.clear();
        }
        return signers.computeIfAbsent(appId + ":" + secret, k -> JWTAuth.create(vertx, new JWTAuthOptions()
                .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret))));
    }

    private static void json(RoutingContext ctx, JsonObject body) {
        ctx.response().putHeader("Content-Type", "application/json").end(body.encode());
    }
}
