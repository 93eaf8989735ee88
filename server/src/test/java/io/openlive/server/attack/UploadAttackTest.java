package io.openlive.server.attack;

import io.openlive.engine.platform.Components;
import io.openlive.server.ServerFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Finding: uploads were buffered before the key was checked (300 keyless 8 MiB uploads took RSS from 195 MB to 3.8 GB,
 * all answered 401), any number at once, and drafts had no quota. Now the key, the role and the quota are checked with
 * only the headers sent, at most a few bodies are read at a time, and a developer holds a bounded number of drafts.
 */
class UploadAttackTest {
    static ServerFixture node;
    static Api api;
    static String admin;
    static String acme;
    static String mallory;

    @BeforeAll
    static void start() throws Exception {
        node = ServerFixture.start();
        api = new Api(node.server.httpPort());
        admin = node.server.platform().keys().bootstrapAdmin().orElseThrow();
        acme = api.developerKey(admin, "Acme", "third-party");
        mallory = api.developerKey(admin, "Mallory", "third-party");
        api.ok("POST", "/components", acme, Map.of("id", "acme.poll", "name", "Poll"));
        api.ok("POST", "/components", mallory, Map.of("id", "mallory.box", "name", "Box"));
    }

    @AfterAll
    static void stop() throws Exception {
        node.close();
    }

    /** Sends an upload's headers declaring an 8 MiB body, and none of the body. */
    static Socket headersOnly(String componentId, String key) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", node.server.httpPort()), 5000);
        String head = "POST /api/v1/components/" + componentId + "/versions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/zip\r\nContent-Length: " + (8 << 20) + "\r\n"
                + (key == null ? "" : "Authorization: Bearer " + key + "\r\n") + "\r\n";
        s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().write(new byte[]{'P', 'K'});
        return s;
    }

    /** The status line the server sends within 3 s, or null when it is still waiting for the body. */
    static String statusWithin3s(Socket s) throws IOException {
        s.setSoTimeout(3000);
        InputStream in = s.getInputStream();
        StringBuilder line = new StringBuilder();
        try {
            for (int c; (c = in.read()) >= 0 && c != '\n'; ) {
                line.append((char) c);
            }
        } catch (SocketTimeoutException e) {
            return null;
        }
        return line.toString().trim();
    }

    static int uploadsInProgress() throws Exception {
        String text;
        try (var http = java.net.http.HttpClient.newHttpClient()) {
            text = http.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + node.server.httpPort() + "/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        }
        return text.lines().filter(l -> l.startsWith("openlive_uploads_in_progress"))
                .mapToInt(l -> (int) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(-1);
    }

    @Test
    void keyAndRoleAreCheckedBeforeTheBody() throws Exception {
        try (Socket anonymous = headersOnly("acme.poll", null); Socket forged = headersOnly("acme.poll", "ol_forged");
             Socket otherDeveloper = headersOnly("acme.poll", mallory)) {
            assertThat(statusWithin3s(anonymous)).isEqualTo("HTTP/1.1 401 Unauthorized");
            assertThat(statusWithin3s(forged)).isEqualTo("HTTP/1.1 401 Unauthorized");
            assertThat(statusWithin3s(otherDeveloper)).isIn("HTTP/1.1 404 Not Found", "HTTP/1.1 403 Forbidden");
        }
    }

    @Test
    void concurrentUploadsAreBounded() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                slow.add(headersOnly("mallory.box", mallory)); // accepted, then never finished
            }
            // the four hold their slots once their heads are read; the node says so in /metrics
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (uploadsInProgress() < 4 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(uploadsInProgress()).as("upload slots held by the four slow clients").isEqualTo(4);
            try (Socket extra = headersOnly("mallory.box", mallory)) {
                assertThat(statusWithin3s(extra)).isEqualTo("HTTP/1.1 503 Service Unavailable");
            }
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
        // the slots come back when the slow clients go
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (uploadsInProgress() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(uploadsInProgress()).as("upload slots after the slow clients closed").isZero();
        Map<String, String> files = new LinkedHashMap<>();
        files.put("manifest.json", Api.manifest("mallory.box", "0.0.1", "[\"room:read\"]", "[]"));
        files.put("index.html", "<!doctype html><p>box</p>");
        Api.Response r = null;
        for (int attempt = 0; attempt < 50 && (r == null || r.status() == 503); attempt++) {
            r = api.call("POST", "/components/mallory.box/versions", mallory, Api.zip(files));
        }
        assertThat(r.status()).as("%s", r.body()).isEqualTo(201);
    }

    @Test
    void draftsHaveAQuota() throws Exception {
        api.ok("POST", "/components", acme, Map.of("id", "acme.drafts", "name", "Drafts"));
        String last = null;
        for (int i = 0; i < Components.MAX_DRAFTS; i++) {
            Map<String, String> files = new LinkedHashMap<>();
            files.put("manifest.json", Api.manifest("acme.drafts", "1.0." + i, "[\"room:read\"]", "[]"));
            files.put("index.html", "<!doctype html><p>" + i + "</p>");
            last = api.ok("POST", "/components/acme.drafts/versions", acme, Api.zip(files)).text("id");
        }
        Map<String, String> files = new LinkedHashMap<>();
        files.put("manifest.json", Api.manifest("acme.drafts", "2.0.0", "[\"room:read\"]", "[]"));
        files.put("index.html", "<!doctype html><p>over</p>");
        Api.Response over = api.call("POST", "/components/acme.drafts/versions", acme, Api.zip(files));
        assertThat(over.status()).isEqualTo(409);
        assertThat(over.body().path("error").path("code").asText()).isEqualTo("DRAFT_QUOTA");
        try (Socket s = headersOnly("acme.drafts", acme)) {
            assertThat(statusWithin3s(s)).as("the quota is checked before the body too").isEqualTo("HTTP/1.1 409 Conflict");
        }
        api.ok("POST", "/versions/" + last + "/submit", acme, null); // a submitted version is no longer a draft
        assertThat(api.call("POST", "/components/acme.drafts/versions", acme, Api.zip(files)).status()).isEqualTo(201);
    }
}
