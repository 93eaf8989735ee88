package io.openlive.server.api;

import io.openlive.server.ServerFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile and careless input to the platform API: unsafe bundles, bundles and manifests over the limits, bad versions
 * and permissions, bad keys, other tenants' ids, bad JSON. Each gets a clear 4xx, and nothing is half-written: no
 * version row, no bundle file, no audit row.
 */
class PlatformBadInputTest {
    static ServerFixture fixture;
    static ApiClient api;
    static String admin;
    static String devKey;
    static String otherDevKey;

    @BeforeAll
    static void start() throws Exception {
        fixture = ServerFixture.start();
        api = new ApiClient(fixture.http(""));
        admin = fixture.server.platform().keys().bootstrapAdmin().orElseThrow();
        String dev = api.call("developer.create", admin, Map.of(), Map.of("name", "Acme")).text("id");
        String other = api.call("developer.create", admin, Map.of(), Map.of("name", "Other")).text("id");
        devKey = api.call("key.create", admin, Map.of(), Map.of("role", "developer", "scope", dev)).text("key");
        otherDevKey = api.call("key.create", admin, Map.of(), Map.of("role", "developer", "scope", other)).text("key");
        assertThat(api.call("component.create", devKey, Map.of(), Map.of("id", "acme.poll", "name", "Poll")).status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    private void refusedAndNothingWritten(byte[] zip, int status, String code, String messagePart) throws Exception {
        String auditBefore = newestAudit();
        List<Path> bundlesBefore = bundleFiles();
        ApiClient.Response r = api.upload("acme.poll", devKey, zip);
        assertThat(r.status()).as("%s", r.body()).isEqualTo(status);
        assertThat(r.errorCode()).isEqualTo(code);
        assertThat(r.body().path("error").path("message").asText()).contains(messagePart);
        assertThat(api.call("version.list", devKey, Map.of("componentId", "acme.poll"), null).body().path("items")).isEmpty();
        assertThat(bundleFiles()).as("no bundle file left behind").isEqualTo(bundlesBefore);
        assertThat(newestAudit()).as("no audit row").isEqualTo(auditBefore);
    }

    private static List<Path> bundleFiles() throws java.io.IOException {
        Path bundles = fixture.dataDir.resolve("bundles");
        try (var files = Files.exists(bundles) ? Files.walk(bundles) : java.util.stream.Stream.<Path>empty()) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static String newestAudit() {
        return api.call("audit.list", admin, Map.of(), "?limit=1", null).body().path("items").path(0).path("id").asText();
    }

    private static Map<String, byte[]> sound() {
        return TestBundles.files(TestBundles.manifest("acme.poll", "1.0.0", "component", List.of("room:read"), List.of()));
    }

    @Test
    void zipSlipPathsAreRefused() throws Exception {
        for (String evil : List.of("../evil.js", "a/../../evil.js", "/etc/passwd", "a\\..\\evil.js", "C:/evil.js", "./x.js", "a//b.js")) {
            Map<String, byte[]> files = sound();
            files.put(evil, "x".getBytes(StandardCharsets.UTF_8));
            refusedAndNothingWritten(TestBundles.zip(files), 400, "BUNDLE_UNSAFE_PATH", "not a safe relative path");
        }
    }

    @Test
    void zipBombsStopAtTheUnpackLimit() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry("manifest.json"));
            z.write(sound().get("manifest.json"));
            z.putNextEntry(new ZipEntry("zeros.txt"));
            byte[] block = new byte[1 << 20];
            for (int i = 0; i < 64; i++) { // 64 MiB of zeros, about 64 KiB compressed
                z.write(block);
            }
            z.closeEntry();
        }
        assertThat(out.size()).isLessThan(1 << 20);
        refusedAndNothingWritten(out.toByteArray(), 413, "BUNDLE_TOO_LARGE", "unpacks to more than");
    }

    @Test
    void bundlesAndManifestsOverTheLimitsAreRefused() throws Exception {
        byte[] huge = new byte[9 << 20];
        new Random(1).nextBytes(huge);
        huge[0] = 'P';
        huge[1] = 'K';
        ApiClient.Response r = api.upload("acme.poll", devKey, huge);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.errorCode()).isEqualTo("TOO_LARGE");

        Map<String, byte[]> files = sound();
        String padding = " ".repeat(70 * 1024);
        files.put("manifest.json", (new String(files.get("manifest.json"), StandardCharsets.UTF_8) + padding).getBytes(StandardCharsets.UTF_8));
        refusedAndNothingWritten(TestBundles.zip(files), 413, "MANIFEST_TOO_LARGE", "limit is 65536");

        refusedAndNothingWritten("not a zip at all".getBytes(StandardCharsets.UTF_8), 400, "BUNDLE_INVALID", "not a zip");
        refusedAndNothingWritten(TestBundles.zip(Map.of("index.html", new byte[]{1})), 400, "MANIFEST_MISSING", "manifest.json");
    }

    @Test
    void manifestsWithBadVersionsOrPermissionsAreRefused() throws Exception {
        refusedAndNothingWritten(TestBundles.zip(TestBundles.files(TestBundles.manifest("acme.poll", "1.0", "component", List.of(), List.of()))),
                400, "MANIFEST_INVALID", "'1.0' is not semver");
        refusedAndNothingWritten(TestBundles.zip(TestBundles.files(TestBundles.manifest("acme.poll", "01.0.0", "component", List.of(), List.of()))),
                400, "MANIFEST_INVALID", "not semver");
        refusedAndNothingWritten(TestBundles.zip(TestBundles.files(TestBundles.manifest("acme.poll", "1.0.0", "component", List.of("root:everything"), List.of()))),
                400, "MANIFEST_INVALID", "unknown permission 'root:everything'");
        refusedAndNothingWritten(TestBundles.zip(TestBundles.files(TestBundles.manifest("acme.other", "1.0.0", "component", List.of(), List.of()))),
                400, "MANIFEST_ID_MISMATCH", "acme.other");
        Map<String, byte[]> files = sound();
        files.put("manifest.json", "{\"id\": 5".getBytes(StandardCharsets.UTF_8));
        refusedAndNothingWritten(TestBundles.zip(files), 400, "MANIFEST_INVALID", "not JSON");
    }

    @Test
    void aDuplicateVersionIsAConflict() throws Exception {
        // acme.poll must stay without versions for the other tests: use a component of its own
        assertThat(api.call("component.create", devKey, Map.of(), Map.of("id", "acme.dup", "name", "Dup")).status()).isEqualTo(201);
        byte[] zip = TestBundles.zip(TestBundles.files(TestBundles.manifest("acme.dup", "2.0.0", "component", List.of(), List.of())));
        assertThat(api.upload("acme.dup", devKey, zip).status()).isEqualTo(201);
        ApiClient.Response again = api.upload("acme.dup", devKey, zip);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.errorCode()).isEqualTo("VERSION_EXISTS");
        assertThat(api.call("version.list", devKey, Map.of("componentId", "acme.dup"), null).body().path("items")).hasSize(1);
    }

    @Test
    void missingWrongAndRevokedKeysAre401() {
        assertThat(api.call("component.list", null, Map.of(), null).errorCode()).isEqualTo("API_KEY_MISSING");
        assertThat(api.call("component.list", "olk_forged", Map.of(), null).errorCode()).isEqualTo("API_KEY_INVALID");
        assertThat(api.call("component.list", "x".repeat(5000), Map.of(), null).status()).isEqualTo(401);
        ApiClient.Response k = api.call("key.create", admin, Map.of(), Map.of("role", "reviewer"));
        assertThat(api.call("component.list", k.text("key"), Map.of(), null).status()).isEqualTo(200);
        assertThat(api.call("key.revoke", admin, Map.of("keyId", k.text("id")), null).status()).isEqualTo(200);
        assertThat(api.call("component.list", k.text("key"), Map.of(), null).status()).isEqualTo(401);
        assertThat(api.call("key.create", devKey, Map.of(), Map.of("role", "admin")).status()).as("roles are checked").isEqualTo(403);
        assertThat(api.call("key.create", admin, Map.of(), Map.of("role", "developer")).errorCode()).isEqualTo("INVALID_SCOPE");
        assertThat(api.call("key.create", admin, Map.of(), Map.of("role", "emperor")).errorCode()).isEqualTo("INVALID_ROLE");
    }

    @Test
    void anotherTenantsIdsAreNotFound() {
        assertThat(api.call("component.get", otherDevKey, Map.of("componentId", "acme.poll"), null).errorCode()).isEqualTo("COMPONENT_NOT_FOUND");
        ApiClient.Response upload = api.upload("acme.poll", otherDevKey, TestBundles.sound("acme.poll", "9.0.0", "component"));
        assertThat(upload.errorCode()).isEqualTo("COMPONENT_NOT_FOUND");
        ApiClient.Response unregistered = api.upload("acme.never", otherDevKey, TestBundles.sound("acme.never", "1.0.0", "component"));
        assertThat(unregistered.status()).isEqualTo(404);
        assertThat(unregistered.body().path("error").path("message").asText()).as("says what comes first")
                .contains("register it first", "POST /api/v1/components");
        String a = api.call("app.create", admin, Map.of(), Map.of("name", "A")).text("id");
        String b = api.call("app.create", admin, Map.of(), Map.of("name", "B")).text("id");
        String operatorA = api.call("key.create", admin, Map.of(), Map.of("role", "app-operator", "scope", a)).text("key");
        assertThat(api.call("app.get", operatorA, Map.of("appId", a), null).status()).isEqualTo(200);
        assertThat(api.call("app.get", operatorA, Map.of("appId", b), null).errorCode()).isEqualTo("APP_NOT_FOUND");
        assertThat(api.call("delivery.list", operatorA, Map.of("appId", b), null).errorCode()).isEqualTo("APP_NOT_FOUND");
        assertThat(api.call("app.rotate-secret", operatorA, Map.of("appId", b), null).errorCode()).isEqualTo("APP_NOT_FOUND");
        String one = api.call("key.create", admin, Map.of(), Map.of("role", "broadcaster")).text("key");
        String two = api.call("key.create", admin, Map.of(), Map.of("role", "broadcaster")).text("key");
        String room = api.call("room.create", one, Map.of(), Map.of("title", "Mine")).text("id");
        assertThat(api.call("room.get", two, Map.of("roomId", room), null).errorCode()).isEqualTo("ROOM_NOT_FOUND");
        assertThat(api.call("room.rotate-stream-key", two, Map.of("roomId", room), null).errorCode()).isEqualTo("ROOM_NOT_FOUND");
        assertThat(api.call("room.list", two, Map.of(), null).body().path("items")).isEmpty();
        assertThat(api.call("room.deliver", two, Map.of("roomId", room, "appId", a), Map.of()).status()).isEqualTo(404);
        assertThat(api.call("room.deliver", one, Map.of("roomId", room, "appId", a), Map.of()).status()).isEqualTo(200);
        assertThat(api.call("room.deliver", two, Map.of("roomId", room, "appId", a), Map.of()).errorCode())
                .as("delivered or not, another broadcaster's room does not exist for it").isEqualTo("ROOM_NOT_FOUND");
        assertThat(api.call("room.deliver", operatorA, Map.of("roomId", room, "appId", b), Map.of()).errorCode())
                .as("an operator of an app the room is delivered to sees it, but binds only for its own app").isEqualTo("FORBIDDEN");
    }

    @Test
    void badJsonIs400AndOversizedJsonIs413() {
        var bad = api.send("app.create", admin, Map.of(), "", "{\"name\": ".getBytes(StandardCharsets.UTF_8), "application/json");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.errorCode()).isEqualTo("INVALID_JSON");
        assertThat(api.send("app.create", admin, Map.of(), "", "[1,2]".getBytes(StandardCharsets.UTF_8), "application/json").errorCode())
                .isEqualTo("INVALID_JSON");
        assertThat(api.call("app.create", admin, Map.of(), Map.of("name", 5)).errorCode()).isEqualTo("INVALID_BODY");
        assertThat(api.call("app.create", admin, Map.of(), Map.of("name", "X", "policy", "sometimes")).errorCode()).isEqualTo("INVALID_POLICY");
        assertThat(api.call("app.create", admin, Map.of(), Map.of("name", "X", "origins", List.of("javascript:alert(1)"))).errorCode())
                .isEqualTo("INVALID_ORIGINS");
        byte[] big = ("{\"name\":\"" + "x".repeat(300 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(api.send("app.create", admin, Map.of(), "", big, "application/json").status()).isEqualTo(413);
        assertThat(api.call("app.list", admin, Map.of(), "?limit=0", null).errorCode()).isEqualTo("INVALID_LIMIT");
        assertThat(api.call("app.list", admin, Map.of(), "?cursor=-5", null).errorCode()).isEqualTo("INVALID_CURSOR");
        var wrongType = api.send("version.upload", devKey, Map.of("componentId", "acme.poll"), "", new byte[]{'P', 'K', 3, 4}, "text/plain");
        assertThat(wrongType.errorCode()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
        assertThat(wrongType.status()).isEqualTo(415);
    }
}
