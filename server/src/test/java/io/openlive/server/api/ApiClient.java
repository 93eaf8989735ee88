package io.openlive.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Calls the REST API by operation id, the way a client generated from {@code openapi.yaml} would, and checks every
 * response against the document: JSON success bodies against the operation's schema, errors against {@code Error}.
 */
final class ApiClient {
    static final ObjectMapper JSON = new ObjectMapper();

    record Response(int status, JsonNode body) {
        String text(String field) {
            return body.path(field).asText(null);
        }

        String errorCode() {
            return body.path("error").path("code").asText(null);
        }
    }

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final OpenApiDocument doc = OpenApiDocument.load();

    ApiClient(String base) {
        this.base = base;
    }

    /** Calls {@code operationId}; {@code params} fill the path, a {@code ?query} suffix may follow in {@code query}. */
    Response call(String operationId, String key, Map<String, String> params, Object body) {
        return send(operationId, key, params, "", body == null ? null : bytes(body), "application/json");
    }

    Response call(String operationId, String key, Map<String, String> params, String query, Object body) {
        return send(operationId, key, params, query, body == null ? null : bytes(body), "application/json");
    }

    Response upload(String componentId, String key, byte[] zip) {
        return send("version.upload", key, Map.of("componentId", componentId), "", zip, "application/zip");
    }

    Response send(String operationId, String key, Map<String, String> params, String query, byte[] body, String contentType) {
        OpenApiDocument.Operation op = doc.operation(operationId);
        String path = op.path();
        for (Map.Entry<String, String> p : params.entrySet()) {
            path = path.replace("{" + p.getKey() + "}", p.getValue());
        }
        assertThat(path).as("every path parameter of %s given", operationId).doesNotContain("{");
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/api/v1" + path + query)).timeout(Duration.ofSeconds(30))
                .method(op.method(), body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null) {
            b.header("Content-Type", contentType);
        }
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.headers().firstValue("Content-Type")).as("%s content type", operationId).hasValue("application/json");
            JsonNode json = JSON.readTree(r.body());
            List<String> problems = doc.checkResponse(op, r.statusCode(), json);
            assertThat(problems).as("%s %d response %s conforms to openapi.yaml", operationId, r.statusCode(), json).isEmpty();
            return new Response(r.statusCode(), json);
        } catch (IOException e) {
            throw new AssertionError(operationId + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A plain GET of any path, for bundle files. */
    /** GET of a path on the API's server, or of an absolute URL (such as a bundle file on the component origin). */
    HttpResponse<byte[]> get(String path, String key) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : base + path)).timeout(Duration.ofSeconds(30)).GET();
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] bytes(Object body) {
        try {
            return body instanceof byte[] raw ? raw : JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
