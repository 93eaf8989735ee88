package io.openlive.server.attack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** The REST API as the attack suite uses it: raw requests with bounded time-outs, and the setup calls a test needs. */
final class Api {
    static final ObjectMapper JSON = new ObjectMapper();

    record Response(int status, JsonNode body) {
        String text(String field) {
            return body.path(field).asText(null);
        }
    }

    private final String base;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Api(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    Response call(String method, String path, String key, Object body) throws IOException, InterruptedException {
        byte[] bytes = body == null ? null : body instanceof byte[] b ? b : JSON.writeValueAsBytes(body);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/api/v1" + path)).timeout(Duration.ofSeconds(20))
                .method(method, bytes == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (bytes != null) {
            b.header("Content-Type", body instanceof byte[] ? "application/zip" : "application/json");
        }
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Response(r.statusCode(), r.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(r.body()));
    }

    Response ok(String method, String path, String key, Object body) throws IOException, InterruptedException {
        Response r = call(method, path, key, body);
        if (r.status() / 100 != 2) {
            throw new AssertionError(method + " " + path + " answered " + r.status() + " " + r.body());
        }
        return r;
    }

    /** A developer of {@code tier} and a key for it. */
    String developerKey(String admin, String name, String tier) throws IOException, InterruptedException {
        String dev = ok("POST", "/developers", admin, Map.of("name", name, "tier", tier)).text("id");
        return ok("POST", "/keys", admin, Map.of("role", "developer", "scope", dev)).text("key");
    }

    static String manifest(String id, String version, String permissions, String emits) {
        return """
                {"id":"%s","name":"Test","version":"%s","kind":"component","entry":"index.html","slots":["bottom"],
                 "permissions":%s,"topics":{"subscribe":["comment"],"emit":%s},"size":{"width":320,"height":120}}
                """.formatted(id, version, permissions, emits);
    }

    /** A plugin bundle (manifest and a page) named {@code id}, reading the room only. */
    static Map<String, String> plugin(String id) {
        Map<String, String> f = new java.util.LinkedHashMap<>();
        f.put("manifest.json", manifest(id, "1.0.0", "[\"room:read\"]", "[]").replace("\"component\"", "\"plugin\"").replace("\"bottom\"", "\"stage\""));
        f.put("index.html", "<!doctype html><p>live</p>");
        return f;
    }

    /** A component bundle (manifest and a page) named {@code id}, reading the room and emitting {@code emits} (JSON). */
    static Map<String, String> component(String id, String emits) {
        Map<String, String> f = new java.util.LinkedHashMap<>();
        f.put("manifest.json", manifest(id, "1.0.0", "[\"room:read\"]", emits));
        f.put("index.html", "<!doctype html><p>" + id.substring(id.lastIndexOf('.') + 1) + "</p>");
        return f;
    }

    /** A zip of {@code files} (name, text) in order. */
    static byte[] zip(Map<String, String> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, String> e : files.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }
}
