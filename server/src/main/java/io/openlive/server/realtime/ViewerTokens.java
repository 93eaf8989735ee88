package io.openlive.server.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openlive.protocol.realtime.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Viewer tokens: JWTs a host app signs with its secret (HS256) carrying {@code sub} (the viewer's id in that app),
 * {@code name} (display name) and {@code exp}; an optional {@code app} claim must name the app. Each failure maps to a
 * clear error code and a message that names no internals. The signature is verified before any claim is parsed.
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
    /** Clock difference tolerated between the host app's backend and this node for {@code nbf} and {@code iat}. */
    static final long LEEWAY_SECONDS = 30;

    ViewerTokens(Vertx vertx) {
    }

    /**
     * Verifies an HS256 JWT (RFC 7519; JWS compact serialisation, RFC 7515 section 7.1): the header must name HS256, the
     * signature over {@code header.payload} must match the app's secret (compared in constant time) before any claim is
     * read; then {@code exp} (a number, in the future), {@code nbf} and {@code iat} (numbers, not in the future, with
     * {@link #LEEWAY_SECONDS}), {@code sub}, and {@code app} if present.
     */
    Future<Viewer> verify(String token, String appId, String secret, long nowMillis) {
        try {
            return Future.succeededFuture(check(token, appId, secret, nowMillis));
        } catch (Refused r) {
            return Future.failedFuture(r);
        }
    }

    static Viewer check(String token, String appId, String secret, long nowMillis) {
        if (token.length() > MAX_TOKEN_CHARS) {
            throw new Refused(ErrorCode.TOKEN_INVALID, "token is too long");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new Refused(ErrorCode.TOKEN_INVALID, "token is not a JWT");
        }
        JsonNode header = json(parts[0]);
        if (header == null || !"HS256".equals(header.path("alg").asText())) {
            throw new Refused(ErrorCode.TOKEN_INVALID, "token must be signed with HS256");
        }
        byte[] signature;
        try {
            signature = Base64.getUrlDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new Refused(ErrorCode.TOKEN_INVALID, "token signature is not base64url");
        }
        if (!MessageDigest.isEqual(hmac(secret, parts[0] + "." + parts[1]), signature)) {
            throw new Refused(ErrorCode.TOKEN_INVALID, "token signature not accepted for host app " + appId);
        }
        // signed by the app: only now are the claims read
        JsonNode claims = json(parts[1]);
        if (claims == null) {
            throw new Refused(ErrorCode.TOKEN_INVALID, "token claims are not a JSON object");
        }
        long now = nowMillis / 1000;
        JsonNode exp = claims.get("exp");
        if (exp == null || !exp.isNumber()) {
            throw new Refused(ErrorCode.TOKEN_INVALID, "token needs exp as a number of seconds");
        }
        if (exp.asLong() <= now) {
            throw new Refused(ErrorCode.TOKEN_EXPIRED, "token expired");
        }
        for (String claim : new String[]{"nbf", "iat"}) {
            JsonNode t = claims.get(claim);
            if (t != null && (!t.isNumber() || t.asLong() > now + LEEWAY_SECONDS)) {
                throw new Refused(ErrorCode.TOKEN_INVALID, "token " + claim + " is not a time in the past");
            }
        }
        if (claims.has("app") && !appId.equals(claims.path("app").asText())) {
            throw new Refused(ErrorCode.TOKEN_WRONG_APP, "token is for another host app, not " + appId);
        }
        JsonNode subNode = claims.get("sub");
        String sub = subNode != null && subNode.isTextual() ? subNode.asText() : "";
        if (sub.isEmpty() || sub.length() > 128 || sub.startsWith("anon:")) {
            throw new Refused(ErrorCode.TOKEN_INVALID, "token needs sub (1 to 128 characters)");
        }
        String name = claims.path("name").isTextual() ? claims.path("name").asText() : sub;
        return new Viewer(sub, name.length() > 64 ? name.substring(0, 64) : name, false, exp.asLong() * 1000);
    }

    private static byte[] hmac(String secret, String signingInput) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static JsonNode json(String base64url) {
        try {
            JsonNode n = JSON.readTree(new String(Base64.getUrlDecoder().decode(base64url), StandardCharsets.UTF_8));
            return n != null && n.isObject() ? n : null;
        } catch (IllegalArgumentException | java.io.IOException e) {
            return null;
        }
    }
}
