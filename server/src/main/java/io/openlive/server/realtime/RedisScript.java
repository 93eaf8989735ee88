package io.openlive.server.realtime;

import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script run by its SHA-1 digest ({@code EVALSHA}), so that each call sends a 40-character name rather than the
 * script. A Redis that does not know the script yet (first call, restart, {@code SCRIPT FLUSH}) answers {@code NOSCRIPT};
 * the script is then sent once with {@code EVAL}, which also caches it there. Usage:
 * {@code new RedisScript(LUA).run(api, List.of("1", key, arg))}.
 */
final class RedisScript {
    private final String source;
    private final String sha;

    RedisScript(String source) {
        this.source = source;
        this.sha = sha1(source);
    }

    /** Runs the script; {@code numKeysKeysArgs} is what follows the script in {@code EVAL}: key count, keys, arguments. */
    Future<Response> run(RedisAPI api, List<String> numKeysKeysArgs) {
        return api.evalsha(with(sha, numKeysKeysArgs)).recover(e -> {
            if (String.valueOf(e.getMessage()).startsWith("NOSCRIPT")) {
                return api.eval(with(source, numKeysKeysArgs));
            }
            return Future.failedFuture(e);
        });
    }

    String sha() {
        return sha;
    }

    private static List<String> with(String first, List<String> rest) {
        List<String> all = new ArrayList<>(rest.size() + 1);
        all.add(first);
        all.addAll(rest);
        return all;
    }

    private static String sha1(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every Java platform", e);
        }
    }
}
