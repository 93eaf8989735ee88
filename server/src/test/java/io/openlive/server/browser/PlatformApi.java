package io.openlive.server.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The REST API as the browser tests' setup uses it: JSON in, JSON out, any status other than 2xx fails the test. */
final class PlatformApi {
    static final ObjectMapper JSON = new ObjectMapper();
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    PlatformApi(String base) {
        this.base = base;
    }

    JsonNode post(String path, String key, Object body) {
        return send("POST", path, key, body);
    }

    JsonNode put(String path, String key, Object body) {
        return send("PUT", path, key, body);
    }

    JsonNode get(String path, String key) {
        return send("GET", path, key, null);
    }

    JsonNode upload(String componentId, String key, byte[] zip) {
        return request("POST", "/components/" + componentId + "/versions", key, zip, "application/zip");
    }

    JsonNode send(String method, String path, String key, Object body) {
        try {
            return request(method, path, key, body == null ? null : JSON.writeValueAsBytes(body), "application/json");
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private JsonNode request(String method, String path, String key, byte[] body, String type) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/api/v1" + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null) {
            b.header("Content-Type", type);
        }
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode json = JSON.readTree(r.body());
            if (r.statusCode() / 100 != 2) {
                throw new AssertionError(method + " " + path + " answered " + r.statusCode() + ": " + json);
            }
            return json;
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
