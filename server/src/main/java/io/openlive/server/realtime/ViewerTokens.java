package io.openlive.server.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openlive.protocol.realtime.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Viewer tokens: JWTs a host app signs with its secret (HS256) carrying {@code sub} (the viewer's id in that app),
 * {@code name} (display name) and {@code exp}; an optional {@code app} claim must name the app. Verification is Vert.x's
 * JWT; this class only maps each failure to a clear error code.
 */
final class ViewerTokens {
    /** A refused token, with the realtime error code to send. */
    static final class Refused extends RuntimeException {
        final String code;

        Refused(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_TOKEN_CHARS = 4096;
    private static final int CACHE_SIZE = 256;

    private final Vertx vertx;
    /** One verifier per (app, secret): a rotated secret gets a new one, and the old one stops working. */
    private final Map<String, JWTAuth> verifiers = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, JWTAuth> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    ViewerTokens(Vertx vertx) {
        this.vertx = vertx;
    }

    Future<Viewer> verify(String token, String appId, String secret, long nowMillis) {
        if (token.length() > MAX_TOKEN_CHARS) {
            return Future.failedFuture(new Refused(ErrorCode.TOKEN_INVALID, "token is too long"));
        }
        JsonNode claims = unverifiedClaims(token);
        if (claims == null) {
            return Future.failedFuture(new Refused(ErrorCode.TOKEN_INVALID, "token is not a JWT"));
        }
        if (claims.has("app") && !appId.equals(claims.path("app").asText())) {
            return Future.failedFuture(new Refused(ErrorCode.TOKEN_WRONG_APP, "token is for host app " + claims.path("app").asText() + ", not " + appId));
        }
        return verifier(appId, secret).authenticate(new TokenCredentials(token))
                .recover(e -> Future.failedFuture(new Refused(ErrorCode.TOKEN_INVALID, "token signature or format not accepted for host app " + appId)))
                .compose(user -> {
                    // the signature is good, so the claims decoded above are the ones the app signed
                    long exp = claims.path("exp").asLong(0);
                    if (exp == 0) {
                        return Future.failedFuture(new Refused(ErrorCode.TOKEN_INVALID, "token has no exp"));
                    }
                    if (exp * 1000 <= nowMillis) {
                        return Future.failedFuture(new Refused(ErrorCode.TOKEN_EXPIRED, "token expired"));
                    }
                    String sub = claims.path("sub").asText("");
                    if (sub.isEmpty() || sub.length() > 128 || sub.startsWith("anon:")) {
                        return Future.failedFuture(new Refused(ErrorCode.TOKEN_INVALID, "token needs sub (1 to 128 characters)"));
                    }
                    String name = claims.path("name").asText(sub);
                    return Future.succeededFuture(new Viewer(sub, name.length() > 64 ? name.substring(0, 64) : name, false));
                });
    }

    private synchronized JWTAuth verifier(String appId, String secret) {
        return verifiers.computeIfAbsent(appId + ":" + secret, k -> JWTAuth.create(vertx, new JWTAuthOptions()
                .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret))
                // expiry is checked above, to tell an expired token from a forged one
                .setJWTOptions(new JWTOptions().setIgnoreExpiration(true))));
    }

    private static JsonNode unverifiedClaims(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            return n != null && n.isObject() ? n : null;
        } catch (IllegalArgumentException | java.io.IOException e) {
            return null;
        }
    }
}
