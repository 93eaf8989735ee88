package io.openlive.server.attack;

import io.openlive.engine.platform.BundleLimits;
import io.openlive.engine.platform.ComponentVersion;
import io.openlive.engine.platform.Platform;
import io.openlive.engine.platform.Principal;
import io.openlive.engine.platform.Role;
import io.openlive.server.ServerFixture;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Finding: approved versions of about 31 MiB unpacked (61 KB zips of compressible files) were served through one
 * synchronized 64 MiB cache, so three of them requested in turn thrashed it and stalled every request. Now the checks
 * fail a bundle that unpacks past the bundle size limit, and what is served is bounded the same way, with no lock over
 * the whole cache.
 */
class BundleServingTest {
    @Test
    void aBundleThatUnpacksPastTheLimitFailsItsChecks() throws Exception {
        try (ServerFixture node = ServerFixture.start()) {
            Platform platform = node.server.platform();
            Principal admin = new Principal("test", Role.ADMIN, null);
            Principal acme = new Principal("acme", Role.DEVELOPER, platform.components().createDeveloper(admin, "Acme", "third-party").id());
            platform.components().create(acme, null, "acme.big", "Big", "component");
            Map<String, String> f = new LinkedHashMap<>();
            f.put("manifest.json", Api.manifest("acme.big", "1.0.0", "[\"room:read\"]", "[]"));
            f.put("index.html", "<!doctype html><p>big</p>");
            for (int i = 0; i < 6; i++) { // six files just under the per-file limit: each passes, together past 4 MiB
                f.put("pad" + i + ".txt", "a".repeat((int) BundleLimits.DEFAULT_MAX_FILE_BYTES - 16));
            }
            byte[] zip = Api.zip(f);
            assertThat(zip.length).isLessThan(100_000);
            ComponentVersion v = platform.components().upload(acme, "acme.big", zip);
            ComponentVersion checked = platform.components().submit(acme, v.id());
            assertThat(checked.state().wire()).isEqualTo("checks_failed");
            assertThat(checked.reason()).contains("bundle unpacks to");
        }
    }
}
