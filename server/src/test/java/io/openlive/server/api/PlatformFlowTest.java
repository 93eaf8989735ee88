package io.openlive.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlive.server.ServerFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The platform end to end over HTTP: a third-party developer's component fails its checks, passes them, is approved,
 * goes live at once in a {@code direct} app and only after the app's own review in a {@code review} app, is built into
 * an instance for each app, bound to a room, and revoked.
 */
class PlatformFlowTest {
    static ServerFixture fixture;
    static ApiClient api;
    static String admin;

    @BeforeAll
    static void start() throws Exception {
        fixture = ServerFixture.start();
        api = new ApiClient(fixture.http(""));
        admin = fixture.server.platform().keys().bootstrapAdmin().orElseThrow();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    static String key(String role, String scope) {
        ApiClient.Response r = api.call("key.create", admin, Map.of(), scope == null ? Map.of("role", role) : Map.of("role", role, "scope", scope));
        assertThat(r.status()).isEqualTo(201);
        return r.text("key");
    }

    static ApiClient.Response ok(ApiClient.Response r, int status) {
        assertThat(r.status()).as("%s", r.body()).isEqualTo(status);
        return r;
    }

    @Test
    void componentGoesFromSubmitToLiveToRevokedAcrossTwoHostApps() throws Exception {
        // host apps: the shop trusts platform review, the payments app reviews each version itself
        ApiClient.Response shopApp = ok(api.call("app.create", admin, Map.of(), Map.of("name", "Shop", "policy", "direct",
                "origins", List.of("https://shop.example.com"))), 201);
        assertThat(shopApp.text("secret")).startsWith("hs_");
        String shop = shopApp.text("id");
        String pay = ok(api.call("app.create", admin, Map.of(), Map.of("name", "Pay", "policy", "review")), 201).text("id");

        String official = ok(api.call("developer.create", admin, Map.of(), Map.of("name", "openlive", "tier", "official")), 201).text("id");
        String acme = ok(api.call("developer.create", admin, Map.of(), Map.of("name", "Acme", "tier", "third-party")), 201).text("id");
        String officialKey = key("developer", official);
        assertThat(ok(api.call("whoami", officialKey, Map.of(), null), 200).text("scope")).isEqualTo(official);
        String acmeKey = key("developer", acme);
        String reviewer = key("reviewer", null);
        String payReviewer = key("app-reviewer", pay);
        String shopOperator = key("app-operator", shop);
        String payOperator = key("app-operator", pay);
        String broadcaster = key("broadcaster", null);

        // the live plugin, official, approved and accepted by both apps
        ok(api.call("component.create", officialKey, Map.of(), Map.of("id", "openlive.live", "name", "Live plugin", "kind", "plugin")), 201);
        String plugin = ok(api.upload("openlive.live", officialKey, TestBundles.sound("openlive.live", "1.0.0", "plugin")), 201).text("id");
        assertThat(ok(api.call("version.submit", officialKey, Map.of("versionId", plugin), null), 200).text("state")).isEqualTo("in_review");
        ok(api.call("version.approve", reviewer, Map.of("versionId", plugin), Map.of()), 200);
        ok(api.call("delivery.approve", payReviewer, Map.of("appId", pay, "versionId", plugin), Map.of()), 200);

        // a third-party component whose first version fails every check it can
        ok(api.call("component.create", acmeKey, Map.of(), Map.of("id", "acme.coupon", "name", "Coupon")), 201);
        var files = TestBundles.files(TestBundles.manifest("acme.coupon", "1.0.0", "component",
                List.of("room:read", "product:pin"), List.of("coupon.claimed")));
        files.put("index.html", "<html><script src=\"https://cdn.example.com/x.js\"></script></html>".getBytes(StandardCharsets.UTF_8));
        files.put("tool.exe", new byte[]{1, 2, 3});
        String bad = ok(api.upload("acme.coupon", acmeKey, TestBundles.zip(files)), 201).text("id");
        ApiClient.Response failed = ok(api.call("version.submit", acmeKey, Map.of("versionId", bad), null), 200);
        assertThat(failed.text("state")).isEqualTo("checks_failed");
        assertThat(failedChecks(failed.body())).containsExactlyInAnyOrder("file-types", "remote-code", "permissions", "topics");
        assertThat(failed.text("reason")).contains("https://", "tool.exe", "product:pin", "coupon.claimed")
                .doesNotContain("manifest-schema:");
        assertThat(api.call("version.approve", reviewer, Map.of("versionId", bad), Map.of()).errorCode()).isEqualTo("INVALID_STATE");

        // the fixed version passes and waits for review
        String coupon = ok(api.upload("acme.coupon", acmeKey, TestBundles.sound("acme.coupon", "1.0.1", "component")), 201).text("id");
        ApiClient.Response passed = ok(api.call("version.submit", acmeKey, Map.of("versionId", coupon), null), 200);
        assertThat(passed.text("state")).isEqualTo("in_review");
        assertThat(failedChecks(passed.body())).isEmpty();
        assertThat(ok(api.call("review.queue", reviewer, Map.of(), null), 200).body().path("items").findValuesAsText("id")).contains(coupon);

        String entry = components() + "/bundles/" + shop + "/" + coupon + "/index.html";
        assertThat(api.get(entry, null).statusCode()).as("not approved: hidden from containers").isEqualTo(404);
        assertThat(api.get(entry, acmeKey).statusCode()).as("its developer previews it").isEqualTo(200);
        assertThat(api.get(entry, reviewer).statusCode()).as("reviewers preview it").isEqualTo(200);
        assertThat(api.get(entry, shopOperator).statusCode()).as("an app operator does not").isEqualTo(404);

        ok(api.call("version.approve", reviewer, Map.of("versionId", coupon), Map.of("reason", "looks good")), 200);

        // direct app: live at once; review app: pending until its reviewer approves
        assertThat(deliveryState(shop, coupon, shopOperator)).isEqualTo("live");
        assertThat(deliveryState(pay, coupon, payReviewer)).isEqualTo("pending");
        JsonNode pending = delivery(pay, coupon, payReviewer);
        JsonNode ofVersion = ok(api.call("version.deliveries", acmeKey, Map.of("versionId", coupon), null), 200).body().path("items");
        assertThat(ofVersion).as("its developer reads every app's delivery of it").hasSize(2);
        assertThat(ok(api.call("version.deliveries", payReviewer, Map.of("versionId", coupon), null), 200).body().path("items"))
                .as("an app's reviewer sees its own app's only").hasSize(1);
        assertThat(pending.has("decidedBy") && !pending.path("decidedBy").isNull()).as("nobody has decided a pending delivery: %s", pending).isFalse();
        HttpResponse<byte[]> served = api.get(entry, null);
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("default-src 'self'", "connect-src 'none'", "frame-ancestors " + fixture.http("") + " ",
                        " https://shop.example.com");
        assertThat(api.get(entry.substring(components().length()), null).statusCode())
                .as("bundles are served on the component origin only").isEqualTo(404);
        assertThat(served.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(served.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(api.get(components() + "/bundles/" + pay + "/" + coupon + "/index.html", null).statusCode()).isEqualTo(404);
        assertThat(api.get(components() + "/bundles/" + pay + "/" + coupon + "/index.html", payReviewer).statusCode())
                .as("the app's reviewer previews a pending delivery").isEqualTo(200);

        Map<String, Object> build = Map.of("plugin", Map.of("versionId", plugin),
                "components", List.of(Map.of("versionId", coupon, "slot", "bottom", "config", Map.of("discount", 10))));
        assertThat(api.call("instance.build", payOperator, Map.of("appId", pay), build).errorCode()).isEqualTo("VERSION_NOT_LIVE");
        ok(api.call("delivery.approve", payReviewer, Map.of("appId", pay, "versionId", coupon), Map.of()), 200);
        assertThat(deliveryState(pay, coupon, payReviewer)).isEqualTo("live");
        assertThat(api.get(components() + "/bundles/" + pay + "/" + coupon + "/main.js", null).statusCode()).isEqualTo(200);

        // an instance per app; the same build is the same immutable instance
        ApiClient.Response shopInstance = ok(api.call("instance.build", shopOperator, Map.of("appId", shop), build), 201);
        assertThat(shopInstance.text("id")).hasSize(64).matches("[0-9a-f]+");
        assertThat(ok(api.call("instance.build", shopOperator, Map.of("appId", shop), build), 201).text("id")).isEqualTo(shopInstance.text("id"));
        String payInstance = ok(api.call("instance.build", payOperator, Map.of("appId", pay), build), 201).text("id");
        assertThat(payInstance).isNotEqualTo(shopInstance.text("id"));
        assertThat(api.call("instance.build", shopOperator, Map.of("appId", pay), build).status()).as("another app's operator").isEqualTo(403);

        // a room delivered to both apps, each bound to its own instance
        ApiClient.Response room = ok(api.call("room.create", broadcaster, Map.of(), Map.of("title", "Flash sale", "apps", List.of(shop, pay))), 201);
        String roomId = room.text("id");
        assertThat(room.text("streamKey")).startsWith("sk_");
        ok(api.call("room.deliver", broadcaster, Map.of("roomId", roomId, "appId", shop), Map.of("instanceId", shopInstance.text("id"))), 200);
        assertThat(api.call("room.deliver", broadcaster, Map.of("roomId", roomId, "appId", pay), Map.of("instanceId", shopInstance.text("id"))).errorCode())
                .isEqualTo("INSTANCE_APP_MISMATCH");
        ok(api.call("room.deliver", payOperator, Map.of("roomId", roomId, "appId", pay), Map.of("instanceId", payInstance)), 200);
        assertThat(ok(api.call("room.get", payOperator, Map.of("roomId", roomId), null), 200).text("streamKey"))
                .as("the stream key is the broadcaster's secret").isNull();

        JsonNode shopView = ok(api.call("room.container", null, Map.of("roomId", roomId, "appId", shop), null), 200).body();
        assertThat(shopView.path("parts").findValuesAsText("component")).containsExactly("openlive.live", "acme.coupon");
        String url = shopView.path("parts").get(1).path("url").asText();
        assertThat(shopView.path("componentOrigin").asText()).isEqualTo(components());
        assertThat(url).startsWith(components() + "/bundles/" + shop + "/");
        assertThat(api.get(url, null).statusCode()).isEqualTo(200);

        // the kill switch
        assertThat(api.call("version.revoke", reviewer, Map.of("versionId", coupon), Map.of()).errorCode()).as("a reason is required").isEqualTo("INVALID_REASON");
        ok(api.call("version.revoke", reviewer, Map.of("versionId", coupon), Map.of("reason", "leaks coupon codes")), 200);
        for (String app : List.of(shop, pay)) {
            JsonNode view = ok(api.call("room.container", null, Map.of("roomId", roomId, "appId", app), null), 200).body();
            assertThat(view.path("parts").findValuesAsText("component")).containsExactly("openlive.live");
            assertThat(api.get(components() + "/bundles/" + app + "/" + coupon + "/index.html", null).statusCode()).isEqualTo(404);
            assertThat(deliveryState(app, coupon, admin)).isEqualTo("revoked");
        }
        assertThat(ok(api.call("instance.get", shopOperator, Map.of("instanceId", shopInstance.text("id")), null), 200)
                .body().path("notLive").findValuesAsText("")).isEmpty();
        assertThat(ok(api.call("instance.get", shopOperator, Map.of("instanceId", shopInstance.text("id")), null), 200)
                .body().path("notLive").get(0).asText()).isEqualTo(coupon);
        assertThat(api.call("instance.build", shopOperator, Map.of("appId", shop), build).errorCode()).isEqualTo("VERSION_NOT_LIVE");

        // every change is in the audit log, paged
        ApiClient.Response audit = ok(api.call("audit.list", reviewer, Map.of(), "?entity=version&entityId=" + coupon, null), 200);
        assertThat(audit.body().path("items").findValuesAsText("action"))
                .containsExactly("version.revoke", "version.approve", "version.submit", "version.upload");
        assertThat(audit.body().path("items").get(0).path("before").path("state").asText()).isEqualTo("approved");
        assertThat(audit.body().path("items").get(0).path("after").path("state").asText()).isEqualTo("revoked");
        ApiClient.Response page1 = ok(api.call("audit.list", admin, Map.of(), "?limit=3", null), 200);
        String next = page1.text("next");
        assertThat(next).isNotNull();
        ApiClient.Response page2 = ok(api.call("audit.list", admin, Map.of(), "?limit=3&cursor=" + next, null), 200);
        List<String> ids = new ArrayList<>(page1.body().path("items").findValuesAsText("id"));
        ids.retainAll(page2.body().path("items").findValuesAsText("id"));
        assertThat(ids).isEmpty();
        assertThat(api.call("audit.list", acmeKey, Map.of(), null).status()).isEqualTo(403);
    }

    static JsonNode delivery(String app, String version, String key) {
        JsonNode items = ok(api.call("delivery.list", key, Map.of("appId", app), null), 200).body().path("items");
        for (JsonNode d : items) {
            if (d.path("versionId").asText().equals(version)) {
                return d;
            }
        }
        throw new AssertionError("no delivery of " + version + " in " + app);
    }

    static String deliveryState(String app, String version, String key) {
        JsonNode items = ok(api.call("delivery.list", key, Map.of("appId", app), null), 200).body().path("items");
        for (JsonNode d : items) {
            if (d.path("versionId").asText().equals(version)) {
                return d.path("state").asText();
            }
        }
        return "none";
    }

    static List<String> failedChecks(JsonNode version) {
        List<String> out = new ArrayList<>();
        for (JsonNode c : version.path("report").path("checks")) {
            if (!c.path("passed").asBoolean()) {
                out.add(c.path("name").asText());
            }
        }
        return out;
    }

    /** The component origin of the fixture's node. */
    private static String components() {
        return "http://127.0.0.1:" + fixture.server.componentPort();
    }
}
