package io.openlive.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlive.engine.platform.ComponentVersion;
import io.openlive.engine.platform.Delivery;
import io.openlive.engine.platform.DeliveryState;
import io.openlive.engine.platform.Instance;
import io.openlive.engine.platform.InstanceDocument;
import io.openlive.engine.platform.OfficialComponents;
import io.openlive.engine.platform.Page;
import io.openlive.engine.platform.Principal;
import io.openlive.engine.platform.Role;
import io.openlive.engine.platform.Tier;
import io.openlive.engine.platform.VersionState;
import io.openlive.server.ContainerConfig;
import io.openlive.server.OpenliveServer;
import io.openlive.server.ServerConfig;
import io.openlive.server.api.TestBundles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The official components go through the platform's own flow when a store is initialised, and again only when newer. */
class OfficialImportTest {
    static final Principal ADMIN = new Principal("test", Role.ADMIN, null);
    static final List<String> IDS = List.of("openlive.live", "openlive.comments", "openlive.likes", "openlive.viewers",
            "openlive.gifts", "openlive.product-card");

    static OpenliveServer start(Path dir, String folder) {
        return OpenliveServer.start(ServerConfig.ephemeral(dir).withContainer(ContainerConfig.ephemeral().withOfficialComponents(folder))).await();
    }

    @Test
    void aNewStoreImportsEachOfficialBundleThroughChecksReviewAndDelivery(@TempDir Path dir) throws Exception {
        OpenliveServer server = start(dir, "official-fixture");
        try {
            var platform = server.platform();
            for (String id : IDS) {
                List<ComponentVersion> versions = platform.versions().ofComponent(ADMIN, id);
                assertThat(versions).as(id).hasSize(1);
                ComponentVersion v = versions.get(0);
                assertThat(v.state()).as(id).isEqualTo(VersionState.APPROVED);
                assertThat(v.report().passed()).as("the automated checks ran and passed for " + id).isTrue();
                String dev = platform.components().get(ADMIN, id).developerId();
                assertThat(platform.components().developer(ADMIN, dev).tier()).isEqualTo(Tier.OFFICIAL);
            }
            JsonNode audit = io.openlive.server.api.ApiJson.tree(platform.audit().list(ADMIN, "version", null, Page.Request.first(200)));
            assertThat(audit.path("items").findValuesAsText("action")).contains("version.upload", "version.submit", "version.approve");

            // delivery follows each app's policy, for apps made after the import too
            String direct = platform.apps().create(ADMIN, "Direct", "direct", List.of(), false).app().id();
            String review = platform.apps().create(ADMIN, "Review", "review", List.of(), false).app().id();
            assertThat(states(server, direct)).containsOnly(DeliveryState.LIVE).hasSize(IDS.size());
            assertThat(states(server, review)).containsOnly(DeliveryState.PENDING).hasSize(IDS.size());

            // an instance that names no plugin gets the official live plugin, over the REST API as in the engine
            Principal operator = new Principal("op", Role.APP_OPERATOR, direct);
            String comments = platform.versions().ofComponent(ADMIN, "openlive.comments").get(0).id();
            Instance built = platform.instances().build(operator, direct, new InstanceDocument(direct, null,
                    List.of(new InstanceDocument.Part(comments, null, null, null, null))));
            assertThat(built.document().plugin().component()).isEqualTo(OfficialComponents.LIVE_PLUGIN);
            String key = platform.keys().create(ADMIN, "app-operator", direct, "op").secret();
            HttpResponse<String> rest = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + server.httpPort() + "/api/v1/apps/" + direct + "/instances"))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"components\":[{\"versionId\":\"" + comments + "\"}]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(rest.statusCode()).as(rest.body()).isEqualTo(201);
            assertThat(rest.body()).contains("\"id\":\"" + built.id() + "\"");
            // without the live plugin live in the app, the refusal says why
            Principal reviewOp = new Principal("op", Role.APP_OPERATOR, review);
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> platform.instances().build(reviewOp, review,
                    new InstanceDocument(review, null, List.of())))).hasMessageContaining("openlive.live is not live in host app " + review);
        } finally {
            server.close();
        }
    }

    @Test
    void aLaterStartImportsOnlyNewerVersions(@TempDir Path dir) {
        start(dir, "official-fixture").close();
        OpenliveServer again = start(dir, "official-fixture");
        try {
            for (String id : IDS) {
                assertThat(again.platform().versions().ofComponent(ADMIN, id)).as("nothing new: " + id).hasSize(1);
            }
            var outcomes = again.platform().officials().importAll(List.of(
                    TestBundles.sound("openlive.comments", "1.1.0", "component"),
                    TestBundles.sound("openlive.likes", "0.9.0", "component"),
                    new byte[]{'P', 'K', 3, 4, 0}));
            assertThat(outcomes).extracting(OfficialComponents.Outcome::result).containsExactly("imported", "present", "refused");
            List<ComponentVersion> comments = again.platform().versions().ofComponent(ADMIN, "openlive.comments");
            assertThat(comments).extracting(ComponentVersion::version).containsExactlyInAnyOrder("1.0.0", "1.1.0");
            assertThat(comments).extracting(ComponentVersion::state).containsOnly(VersionState.APPROVED);
        } finally {
            again.close();
        }
    }

    @Test
    void theOfficialComponentsShippedInTheJarPassTheirChecks(@TempDir Path dir) {
        assumeTrue(!OfficialBundles.zips(ContainerConfig.OFFICIAL_FOLDER).isEmpty(), "official/ not on this branch yet");
        OpenliveServer server = start(dir, ContainerConfig.OFFICIAL_FOLDER);
        try {
            for (String id : IDS) {
                List<ComponentVersion> versions = server.platform().versions().ofComponent(ADMIN, id);
                assertThat(versions).as(id).isNotEmpty();
                assertThat(versions).as(id + ": " + versions).extracting(ComponentVersion::state).containsOnly(VersionState.APPROVED);
            }
            assertThat(server.platform().components().get(ADMIN, OfficialComponents.LIVE_PLUGIN).kind()).isEqualTo("plugin");
        } finally {
            server.close();
        }
    }

    @Test
    void onPostgresqlTooWithTheDemoApps(@TempDir Path dir) throws Exception {
        Databases.Fresh probe = Databases.open("postgres"); // skips (fails in CI) without PostgreSQL
        probe.drop().close();
        String schema = "openlive_test_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (var c = java.sql.DriverManager.getConnection(Databases.POSTGRES); var s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        try {
            OpenliveServer server = OpenliveServer.start(ServerConfig.ephemeral(dir).withDatabase(Databases.POSTGRES + "&currentSchema=" + schema)
                    .withContainer(new ContainerConfig(0, "", true, true, ContainerConfig.OFFICIAL_FOLDER))).await();
            try {
                for (String id : IDS) {
                    assertThat(server.platform().versions().ofComponent(ADMIN, id)).as(id)
                            .extracting(ComponentVersion::state).containsExactly(VersionState.APPROVED);
                }
                var demo = server.demo().orElseThrow();
                var pay = server.platform().rooms().container(demo.room(), demo.pay());
                assertThat(pay.parts()).extracting(p -> p.component())
                        .containsExactly("openlive.live", "openlive.comments", "openlive.likes", "openlive.viewers");
            } finally {
                server.close();
            }
        } finally {
            try (var c = java.sql.DriverManager.getConnection(Databases.POSTGRES); var s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    private static List<DeliveryState> states(OpenliveServer server, String appId) {
        return server.platform().review().deliveries(ADMIN, appId, null, Page.Request.first(200)).items().stream()
                .filter(d -> IDS.contains(d.componentId())).map(Delivery::state).toList();
    }
}
