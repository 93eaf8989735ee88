package io.openlive.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlive.server.api.ApiJson;
import io.openlive.server.api.ApiOperation;
import io.openlive.server.api.ApiRoutes;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Operations sent to a running server's REST API with an API key. */
final class RemoteBackend implements Backend {
    private final String server;
    private final String apiKey;
    private final Map<String, ApiOperation> operations;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    RemoteBackend(String server, String apiKey, Map<String, ApiOperation> operations) {
        this.server = server.replaceFirst("/+$", "");
        this.apiKey = apiKey;
        this.operations = operations;
    }

    @Override
    public JsonNode call(String name, Map<String, String> params, String query, JsonNode body) {
        ApiOperation op = operations.get(name);
        byte[] bytes = null;
        if (op.body() == ApiOperation.Body.JSON) {
            try {
                bytes = ApiJson.MAPPER.writeValueAsBytes(body == null ? ApiJson.MAPPER.createObjectNode() : body);
            } catch (IOException e) {
                throw new CliFailure("cannot write request: " + e.getMessage());
            }
        }
        return send(op, params, query, bytes, "application/json");
    }

    @Override
    public JsonNode endpoints() {
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(server + "/endpoints")).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            return r.statusCode() == 200 ? ApiJson.MAPPER.readTree(r.body()) : null;
        } catch (IOException | IllegalArgumentException e) {
            return null; // an older server: the printed URLs fall back to the defaults
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public JsonNode upload(String componentId, byte[] zip) {
        return send(operations.get("version.upload"), Map.of("componentId", componentId), "", zip, "application/zip");
    }

    private JsonNode send(ApiOperation op, Map<String, String> params, String query, byte[] body, String contentType) {
        URI uri;
        try {
            uri = URI.create(server + ApiRoutes.PREFIX + op.expand(params) + (query == null ? "" : query));
        } catch (IllegalArgumentException e) {
            throw new CliFailure("--server " + server + " is not a URL such as http://127.0.0.1:8080");
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .method(op.method(), body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null) {
            b.header("Content-Type", contentType);
        }
        if (apiKey != null && !apiKey.isEmpty()) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        HttpResponse<byte[]> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new CliFailure("cannot reach " + server + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure("interrupted");
        }
        JsonNode json;
        try {
            json = ApiJson.MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new CliFailure(server + " answered HTTP " + r.statusCode() + " without JSON; is it an openlive server?");
        }
        if (r.statusCode() >= 400) {
            String code = json.path("error").path("code").asText("HTTP_" + r.statusCode());
            String hint = r.statusCode() == 401 ? " (pass --api-key KEY or set OPENLIVE_API_KEY)" : "";
            throw new CliFailure(code + ": " + json.path("error").path("message").asText("refused") + hint);
        }
        return json;
    }

    @Override
    public String baseUrl() {
        return server;
    }

    @Override
    public void close() {
        http.close();
    }
}
