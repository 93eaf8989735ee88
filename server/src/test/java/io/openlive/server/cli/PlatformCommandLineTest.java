package io.openlive.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openlive.server.ServerFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin and developer commands of DESIGN.md's command-line contract, offline on a data directory and against a
 * running server, with their {@code --json} output and their failures.
 */
class PlatformCommandLineTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Result(int code, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + out + err, e);
            }
        }
    }

    private static Result run(List<String> target, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(target);
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = OpenliveCommand.run(all.toArray(String[]::new));
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static JsonNode ok(Result r) {
        assertThat(r.code()).as("%s%s", r.out(), r.err()).isZero();
        return r.json();
    }

    @Test
    void offlineOnTheDataDirectoryFromComponentToRoom(@TempDir Path dir) throws Exception {
        List<String> offline = List.of("--data-dir", dir.resolve("data").toString());
        JsonNode app = ok(run(offline, "app", "create", "--name", "Shop", "--policy", "direct", "--json"));
        assertThat(app.path("id").asText()).startsWith("app_");
        assertThat(app.path("secret").asText()).startsWith("hs_");
        String appId = app.path("id").asText();
        JsonNode key = ok(run(offline, "key", "create", "--role", "app-operator", "--scope", appId, "--json"));
        assertThat(key.path("key").asText()).startsWith("olk_");
        String dev = ok(run(offline, "developer", "create", "--name", "openlive", "--tier", "official", "--json")).path("id").asText();

        Path plugin = dir.resolve("plugin");
        Path coupon = dir.resolve("coupon");
        assertThat(run(List.of(), "component", "init", plugin.toString(), "--id", "openlive.live", "--kind", "plugin").code()).isZero();
        assertThat(run(List.of(), "component", "init", coupon.toString(), "--id", "openlive.coupon").code()).isZero();
        JsonNode packed = ok(run(List.of(), "component", "pack", coupon.toString(), "-o", dir.resolve("c.zip").toString(), "--json"));
        assertThat(packed.path("passed").asBoolean()).isTrue();
        assertThat(Files.size(dir.resolve("c.zip"))).isEqualTo(packed.path("bytes").asLong());

        String pluginVersion = ok(run(offline, "component", "push", plugin.toString(), "--developer", dev, "--json")).path("id").asText();
        String couponVersion = ok(run(offline, "component", "push", dir.resolve("c.zip").toString(), "--developer", dev, "--json")).path("id").asText();
        for (String v : List.of(pluginVersion, couponVersion)) {
            assertThat(ok(run(offline, "component", "submit", v, "--json")).path("state").asText()).isEqualTo("in_review");
            assertThat(ok(run(offline, "review", "decide", "approve", v, "--json")).path("state").asText()).isEqualTo("approved");
        }
        assertThat(ok(run(offline, "component", "status", "openlive.coupon", "--json")).get(0).path("state").asText()).isEqualTo("approved");

        // local build, then push: the server side recomputes the same hash
        Path instanceFile = dir.resolve("instance.json");
        JsonNode built = ok(run(offline, "instance", "build", "--app", appId, "--plugin", pluginVersion,
                "--component", couponVersion + "@bottom", "--set", couponVersion + "={\"discount\":15}", "-o", instanceFile.toString(), "--json"));
        String hash = built.path("hash").asText();
        JsonNode defaulted = ok(run(offline, "instance", "build", "--app", appId, "--component", couponVersion + "@bottom",
                "--set", couponVersion + "={\"discount\":15}", "-o", dir.resolve("default.json").toString(), "--json"));
        assertThat(defaulted.path("hash").asText()).as("without --plugin: the newest openlive.live live in the app").isEqualTo(hash);
        JsonNode pushed = ok(run(offline, "instance", "push", instanceFile.toString(), "--json"));
        assertThat(pushed.path("id").asText()).isEqualTo(hash);
        assertThat(pushed.path("source").asText()).isEqualTo("local");

        JsonNode room = ok(run(offline, "room", "create", "--title", "Launch", "--apps", appId, "--json"));
        assertThat(room.path("streamKey").asText()).startsWith("sk_");
        assertThat(room.path("deliveries").get(0).path("appId").asText()).isEqualTo(appId);
        ok(run(offline, "room", "deliver", room.path("id").asText(), "--app", appId, "--instance", hash, "--json"));

        // a tampered local build is refused
        Files.writeString(instanceFile, Files.readString(instanceFile).replace("15", "99"));
        Result tampered = run(offline, "instance", "push", instanceFile.toString());
        assertThat(tampered.code()).isEqualTo(1);
        assertThat(tampered.err()).contains("INSTANCE_HASH_MISMATCH");
        // and a bad pack says why
        Files.writeString(coupon.resolve("evil.js"), "import x from 'https://cdn.example.com/x.js';\n");
        Result badPack = run(List.of(), "component", "pack", coupon.toString(), "-o", dir.resolve("bad.zip").toString());
        assertThat(badPack.code()).isEqualTo(1);
        assertThat(badPack.out()).contains("FAIL remote-code", "evil.js:1: loads code or styles from https://cdn.example.com/x.js");
        assertThat(Files.exists(dir.resolve("bad.zip"))).isFalse();
    }

    @Test
    void againstARunningServerWithApiKeys(@TempDir Path dir) throws Exception {
        try (ServerFixture fixture = ServerFixture.start()) {
            String admin = fixture.server.platform().keys().bootstrapAdmin().orElseThrow();
            List<String> asAdmin = List.of("--server", fixture.http(""), "--api-key", admin);
            JsonNode app = ok(run(asAdmin, "app", "create", "--name", "Pay", "--policy", "review", "--json"));
            assertThat(app.path("policy").asText()).isEqualTo("review");
            String dev = ok(run(asAdmin, "developer", "create", "--name", "Acme", "--json")).path("id").asText();
            String devKey = ok(run(asAdmin, "key", "create", "--role", "developer", "--scope", dev, "--json")).path("key").asText();
            List<String> asDev = List.of("--server", fixture.http(""), "--api-key", devKey);

            Path comp = dir.resolve("poll");
            assertThat(run(List.of(), "component", "init", comp.toString(), "--id", "acme.poll").code()).isZero();
            String v = ok(run(asDev, "component", "push", comp.toString(), "--json")).path("id").asText();
            assertThat(ok(run(asDev, "component", "submit", v, "--json")).path("state").asText()).isEqualTo("in_review");
            Result notReviewer = run(asDev, "review", "decide", "approve", v);
            assertThat(notReviewer.code()).isEqualTo(1);
            assertThat(notReviewer.err()).contains("FORBIDDEN");
            assertThat(ok(run(asAdmin, "review", "decide", "approve", v, "--json")).path("state").asText()).isEqualTo("approved");
            assertThat(fixture.server.platform().versions().get(io.openlive.engine.platform.Principal.localOperator(), v).state().wire())
                    .isEqualTo("approved");

            JsonNode room = ok(run(asAdmin, "room", "create", "--title", "Remote", "--apps", app.path("id").asText(), "--json"));
            assertThat(room.path("id").asText()).startsWith("r");
            assertThat(ok(run(asAdmin, "room", "list", "--json")).findValuesAsText("id")).contains(room.path("id").asText());

            Result wrongKey = run(List.of("--server", fixture.http(""), "--api-key", "olk_wrong"), "app", "list");
            assertThat(wrongKey.code()).isEqualTo(1);
            assertThat(wrongKey.err()).contains("API_KEY_INVALID", "--api-key");
            Result noKey = run(List.of("--server", fixture.http("")), "app", "list");
            assertThat(noKey.err()).contains("--server needs --api-key");
        }
        Result down = run(List.of("--server", "http://127.0.0.1:9", "--api-key", "k"), "app", "list");
        assertThat(down.code()).isEqualTo(1);
        assertThat(down.err()).contains("cannot reach http://127.0.0.1:9");
    }
}
