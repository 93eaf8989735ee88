package io.openlive.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlive.engine.platform.BundleLimits;
import io.openlive.engine.platform.Platform;
import io.openlive.engine.platform.PlatformEvents;
import io.openlive.engine.platform.PlatformException;
import io.openlive.engine.platform.Principal;
import io.openlive.server.api.ApiJson;
import io.openlive.server.api.ApiOperation;
import io.openlive.server.api.ApiOperations;
import io.openlive.server.store.Database;
import io.openlive.server.store.FileBundleStore;
import io.openlive.server.store.JdbcPlatformStore;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** Operations run in this process on the embedded store, as the local operator (an admin). */
final class LocalBackend implements Backend {
    private final Database db;
    private final ApiOperations operations;
    private final Principal operator = Principal.localOperator();

    LocalBackend(Database db, Path dataDir) {
        this.db = db;
        Platform platform = new Platform(new JdbcPlatformStore(db), new FileBundleStore(dataDir.resolve("bundles")), Clock.systemUTC(),
                BundleLimits.defaults(), PlatformEvents.NONE);
        this.operations = new ApiOperations(platform);
    }

    @Override
    public JsonNode call(String name, Map<String, String> params, String query, JsonNode body) {
        return run(name, params, query, body, null);
    }

    @Override
    public JsonNode upload(String componentId, byte[] zip) {
        return run("version.upload", Map.of("componentId", componentId), "", null, zip);
    }

    private JsonNode run(String name, Map<String, String> params, String query, JsonNode body, byte[] bytes) {
        try {
            ApiOperation.Result r = operations.call(name, operator, params, parseQuery(query), body, bytes);
            return ApiJson.toTree(r.body());
        } catch (PlatformException e) {
            throw new CliFailure(e.code() + ": " + e.getMessage());
        }
    }

    private static Map<String, String> parseQuery(String query) {
        Map<String, String> out = new HashMap<>();
        if (query == null || query.isEmpty()) {
            return out;
        }
        for (String pair : query.replaceFirst("^\\?", "").split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(java.net.URLDecoder.decode(pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @Override
    public String baseUrl() {
        return "http://127.0.0.1:8080";
    }

    @Override
    public void close() {
        db.close();
    }
}
