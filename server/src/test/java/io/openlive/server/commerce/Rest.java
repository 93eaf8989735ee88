package io.openlive.server.commerce;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain REST calls with an API key, for tests that drive a server in another process. */
final class Rest {
    record Response(int status, JsonNode body) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String key;

    Rest(int port, String key) {
        this.base = "http://127.0.0.1:" + port + "/api/v1";
        this.key = key;
    }

    Response send(String method, String path, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(Buyers.JSON.writeValueAsBytes(body)));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Response(r.statusCode(), Buyers.JSON.readTree(r.body()));
    }

    /** A call that must succeed: its body. */
    JsonNode ok(String method, String path, Object body) throws Exception {
        Response r = send(method, path, body);
        if (r.status() >= 300) {
            throw new AssertionError(method + " " + path + " answered " + r.status() + " " + r.body());
        }
        return r.body();
    }
}
