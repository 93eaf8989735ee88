package io.openlive.server.browser;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlive.server.ServerFixture;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A server set up as a platform operator would through the REST API: the official components from the jar
 * ({@code official/index.json}) uploaded, checked and approved on the official path; a shop app (policy direct) and a
 * pay app (policy review, its reviewer accepting them); an instance each, bound to one room delivered to both. Tests add
 * third-party components with {@link #thirdParty}. Viewer tokens are signed with each app's secret, as a host backend does.
 * Usage: {@code try (Stage s = Stage.start()) { s.hostPage("shop", "Mia") ... }}
 */
final class Stage implements AutoCloseable {
    final ServerFixture fixture;
    final PlatformApi api;
    final String admin;
    final String reviewer;
    final String broadcaster;
    final Map<String, String> apps = new LinkedHashMap<>();
    final Map<String, String> secrets = new LinkedHashMap<>();
    final Map<String, String> versions = new LinkedHashMap<>();
    final Map<String, String> instances = new LinkedHashMap<>();
    final String roomId;
    final String streamKey;
    private final String officialKey;
    private final Map<String, String> appReviewers = new LinkedHashMap<>();
    private final Map<String, String> operators = new LinkedHashMap<>();

    /** Components of each app's instance by directory name under official/ (the demo apps' sets). */
    static final List<String> SHOP = List.of("comments", "likes", "viewers", "product-card", "gifts");
    static final List<String> PAY = List.of("comments", "likes", "viewers");

    private Stage(ServerFixture fixture) throws IOException {
        this.fixture = fixture;
        this.api = new PlatformApi(fixture.http(""));
        this.admin = fixture.server.platform().keys().bootstrapAdmin().orElseThrow();
        this.reviewer = key("reviewer", null);
        this.broadcaster = key("broadcaster", null);
        String official = api.post("/developers", admin, Map.of("name", "openlive", "tier", "official")).path("id").asText();
        this.officialKey = key("developer", official);
        for (String[] app : new String[][]{{"shop", "Shop", "direct"}, {"pay", "Pay", "review"}}) {
            JsonNode created = api.post("/apps", admin, Map.of("name", app[1], "policy", app[2]));
            apps.put(app[0], created.path("id").asText());
            secrets.put(app[0], created.path("secret").asText());
            operators.put(app[0], key("app-operator", apps.get(app[0])));
            appReviewers.put(app[0], key("app-reviewer", apps.get(app[0])));
        }
        for (String dir : officialDirectories()) {
            Map<String, byte[]> files = officialFiles(dir);
            JsonNode manifest = PlatformApi.JSON.readTree(files.get("manifest.json"));
            versions.put(dir, publish(officialKey, manifest, zip(files)));
        }
        JsonNode room = api.post("/rooms", broadcaster, Map.of("title", "Browser test show", "apps", List.copyOf(apps.values())));
        this.roomId = room.path("id").asText();
        this.streamKey = room.path("streamKey").asText();
        bind("shop", SHOP, List.of());
        bind("pay", PAY, List.of());
    }

    static Stage start() throws Exception {
        Browser.requireChromium();
        return new Stage(ServerFixture.start());
    }

    /** A stage whose rooms end this long after their publisher leaves (default 10 s). */
    static Stage start(java.time.Duration publisherGrace) throws Exception {
        Browser.requireChromium();
        return new Stage(ServerFixture.start(io.openlive.engine.stream.StreamConfig.defaults().withPublisherGrace(publisherGrace)));
    }

    private String key(String role, String scope) {
        return api.post("/keys", admin, scope == null ? Map.of("role", role) : Map.of("role", role, "scope", scope)).path("key").asText();
    }

    /** Registers, uploads, submits and approves a version (and accepts it in the review app); returns its id. */
    String publish(String developerKey, JsonNode manifest, byte[] zip) {
        String id = manifest.path("id").asText();
        try {
            api.post("/components", developerKey, Map.of("id", id, "name", manifest.path("name").asText(), "kind", manifest.path("kind").asText()));
        } catch (AssertionError alreadyRegistered) {
            // a second version of a registered component
        }
        String version = api.upload(id, developerKey, zip).path("id").asText();
        JsonNode submitted = api.post("/versions/" + version + "/submit", developerKey, null);
        if (!submitted.path("state").asText().equals("in_review")) {
            throw new AssertionError(id + " did not pass its checks: " + submitted);
        }
        approve(version);
        return version;
    }

    /** A new third-party developer's key (role developer). */
    String thirdPartyDeveloper(String name) {
        String dev = api.post("/developers", admin, Map.of("name", name, "tier", "third-party")).path("id").asText();
        return key("developer", dev);
    }

    /** Approves a submitted version as the platform's reviewer and as the review app's own reviewer. */
    void approve(String version) {
        api.post("/versions/" + version + "/approve", reviewer, Map.of());
        api.post("/apps/" + apps.get("pay") + "/deliveries/" + version + "/approve", appReviewers.get("pay"), Map.of());
    }

    /** A third-party developer's component, through the same flow; returns its version id. */
    String thirdParty(String developerName, Map<String, byte[]> files) throws IOException {
        return publish(thirdPartyDeveloper(developerName), PlatformApi.JSON.readTree(files.get("manifest.json")), zip(files));
    }

    /** Builds an instance for the app from the live plugin, the named official components and extra versions, and binds it. */
    String bind(String app, List<String> officialComponents, List<Map<String, Object>> extra) {
        List<Map<String, Object>> parts = new ArrayList<>();
        for (String dir : officialComponents) {
            parts.add(Map.of("versionId", versions.get(dir), "slot", slotOf(dir)));
        }
        parts.addAll(extra);
        String instance = api.post("/apps/" + apps.get(app) + "/instances", operators.get(app),
                Map.of("plugin", Map.of("versionId", versions.get("live"), "slot", "overlay"), "components", parts)).path("id").asText();
        api.put("/rooms/" + roomId + "/deliveries/" + apps.get(app), broadcaster, Map.of("instanceId", instance));
        instances.put(app, instance);
        return instance;
    }

    /** Makes the app keep its own cart, as its operator does (PUT /api/v1/apps/{appId}/commerce {"hostCart":true}). */
    void hostCart(String app) {
        api.put("/apps/" + apps.get(app) + "/commerce", operators.get(app), Map.of("hostCart", true));
    }

    void revoke(String versionId) {
        api.post("/versions/" + versionId + "/revoke", reviewer, Map.of("reason", "browser test"));
    }

    /** A real product of the room's broadcaster (title, price in cents, EUR unless given), attached to the room: its id. */
    String product(Map<String, Object> fields) {
        Map<String, Object> body = new java.util.HashMap<>(fields);
        body.putIfAbsent("currency", "EUR");
        body.putIfAbsent("stock", 100);
        String id = api.post("/products", broadcaster, body).path("id").asText();
        if (id.isEmpty()) {
            throw new IllegalStateException("no product made of " + fields);
        }
        api.post("/rooms/" + roomId + "/products", broadcaster, Map.of("productId", id));
        return id;
    }

    /** Pins a product attached to the room, as the broadcaster does (POST /api/v1/rooms/{roomId}/pin). */
    void pin(String productId) {
        api.post("/rooms/" + roomId + "/pin", broadcaster, Map.of("productId", productId));
    }

    String publishUrl() {
        return "rtmp://127.0.0.1:" + fixture.server.rtmpPort() + "/live/" + streamKey;
    }

    /** A test host page on the platform origin showing the room in `app`, signed in as `name` (null: anonymous). */
    String hostPage(String app, String name) {
        return hostPage(app, name, "");
    }

    /** The same with more fragment parameters, such as {@code &buffer=2.5}. */
    String hostPage(String app, String name, String more) {
        String token = name == null ? "" : token(app, "u-" + name.toLowerCase(java.util.Locale.ROOT), name);
        return fixture.http("/browser-test/host.html#room=" + roomId + "&app=" + apps.get(app) + "&token=" + token + more);
    }

    /** An HS256 viewer token valid for an hour, signed as the app's backend would. */
    String token(String app, String sub, String name) {
        return token(app, sub, name, System.currentTimeMillis() / 1000 + 3600);
    }

    /** The same with a given expiry (epoch seconds). */
    String token(String app, String sub, String name, long exp) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(("{\"sub\":\"" + sub + "\",\"name\":\"" + name + "\",\"exp\":" + exp + "}").getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secrets.get(app).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return header + "." + payload + "." + b64.encodeToString(mac.doFinal((header + "." + payload).getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String slotOf(String dir) {
        try {
            return PlatformApi.JSON.readTree(officialFiles(dir).get("manifest.json")).path("slots").get(0).asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> officialDirectories() throws IOException {
        try (InputStream in = Stage.class.getResourceAsStream("/official/index.json")) {
            List<String> dirs = new ArrayList<>();
            PlatformApi.JSON.readTree(in).forEach(n -> dirs.add(n.asText()));
            return dirs;
        }
    }

    /** The files of one official bundle, read from the classpath (the list is its manifest's neighbours we ship). */
    static Map<String, byte[]> officialFiles(String dir) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String name : List.of("manifest.json", "index.html", "main.js", "style.css")) {
            try (InputStream in = Stage.class.getResourceAsStream("/official/" + dir + "/" + name)) {
                if (in != null) {
                    files.put(name, in.readAllBytes());
                }
            }
        }
        return files;
    }

    /** A test component's files from {@code browser-components/{name}/} on the test classpath. */
    static Map<String, byte[]> testComponent(String name) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String file : List.of("manifest.json", "index.html", "main.js")) {
            try (InputStream in = Stage.class.getResourceAsStream("/browser-components/" + name + "/" + file)) {
                files.put(file, in.readAllBytes());
            }
        }
        return files;
    }

    static byte[] zip(Map<String, byte[]> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    @Override
    public void close() throws Exception {
        fixture.close();
    }
}
