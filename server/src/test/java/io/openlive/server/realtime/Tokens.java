package io.openlive.server.realtime;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Viewer tokens as a host app's backend signs them (HS256 JWT), for tests. */
public final class Tokens {
    private Tokens() {
    }

    public static String sign(String secret, String claimsJson) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(claimsJson.getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] sig = mac.doFinal((header + "." + payload).getBytes(StandardCharsets.UTF_8));
            return header + "." + payload + "." + b64.encodeToString(sig);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String viewer(String secret, String sub, String name) {
        long exp = System.currentTimeMillis() / 1000 + 3600;
        return sign(secret, "{\"sub\":\"" + sub + "\",\"name\":\"" + name + "\",\"exp\":" + exp + "}");
    }
}
