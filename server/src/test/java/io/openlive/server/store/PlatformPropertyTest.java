package io.openlive.server.store;

import io.openlive.engine.platform.BundleLimits;
import io.openlive.engine.platform.ComponentVersion;
import io.openlive.engine.platform.InstanceDocument;
import io.openlive.engine.platform.Platform;
import io.openlive.engine.platform.PlatformEvents;
import io.openlive.engine.platform.PlatformException;
import io.openlive.engine.platform.PlatformRooms;
import io.openlive.engine.platform.Principal;
import io.openlive.engine.platform.Review;
import io.openlive.engine.platform.Role;
import io.openlive.server.api.TestBundles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random sequences of submit, approve, reject, revoke, app decisions, new host apps, builds and bindings, checked after
 * every step against a model written apart from the platform: a version not live for a host app is never served to that
 * app, never built into its instances and never mounted in its rooms. Seeded, so a failure names the sequence that
 * broke; run on SQLite and on the real PostgreSQL.
 */
class PlatformPropertyTest {
    private static final Principal ADMIN = new Principal("admin", Role.ADMIN, null);
    private static final Principal REVIEWER = new Principal("reviewer", Role.REVIEWER, null);

    /** The model: what should be true, derived only from the operations the test performed. */
    private static final class Model {
        final Map<String, String> versionState = new HashMap<>();          // versionId -> state
        final Map<String, Boolean> needsConsent = new HashMap<>();         // versionId -> third-party consent-gated
        final Map<String, String> kind = new HashMap<>();                  // versionId -> plugin | component
        final Map<String, String> component = new HashMap<>();             // versionId -> component id
        final Map<String, String[]> apps = new HashMap<>();                // appId -> {policy, consent}
        final Map<String, String> delivery = new HashMap<>();              // versionId@appId -> state

        boolean live(String version, String app) {
            return "approved".equals(versionState.get(version)) && "live".equals(delivery.get(version + "@" + app));
        }

        void deliver(String version, String app) {
            String[] a = apps.get(app);
            String state = needsConsent.get(version) && !a[1].equals("consent") ? "rejected" : a[0].equals("direct") ? "live" : "pending";
            delivery.put(version + "@" + app, state);
        }
    }

    /**
     * Successful builds, binds and revocations over all seeds: the sequences must reach the interesting states. Ids are
     * random, so the same seeds reach a few more or fewer builds from run to run: twelve seeds per database leave margin
     * (six on PostgreSQL once built only two).
     */
    private int builds;
    private int binds;
    private int revokes;

    @ParameterizedTest(name = "{0} seeds {1}..{2}")
    @CsvSource({"sqlite, 1, 12", "postgresql, 101, 112"})
    void aVersionNotLiveForAnAppNeverReachesThatApp(String database, int firstSeed, int lastSeed) throws Exception {
        for (int seed = firstSeed; seed <= lastSeed; seed++) {
            Databases.Fresh fresh = Databases.open(database);
            try (AutoCloseable drop = fresh.drop()) {
                run(seed, new Platform(new JdbcPlatformStore(fresh.db()), new FileBundleStore(Files.createTempDirectory("bundles")),
                        Clock.systemUTC(), BundleLimits.defaults(), PlatformEvents.NONE));
            } finally {
                fresh.db().close();
            }
        }
        assertThat(builds).as("instances built").isGreaterThan(2);
        assertThat(binds).as("instances bound").isGreaterThan(0);
        assertThat(revokes).as("versions revoked").isGreaterThan(0);
    }

    private void run(int seed, Platform platform) {
        Random random = new Random(seed);
        Model model = new Model();
        String official = platform.components().createDeveloper(ADMIN, "official", "official").id();
        String third = platform.components().createDeveloper(ADMIN, "third", "third-party").id();
        Principal officialDev = new Principal("official-dev", Role.DEVELOPER, official);
        Principal thirdDev = new Principal("third-dev", Role.DEVELOPER, third);
        platform.components().create(officialDev, null, "p.live", "plugin", "plugin");
        platform.components().create(thirdDev, null, "t.alpha", "alpha", "component");
        platform.components().create(thirdDev, null, "t.beta", "beta", "component");
        String[][] components = {{"p.live", "plugin"}, {"t.alpha", "component"}, {"t.beta", "component"}};
        Map<String, Integer> patch = new HashMap<>();
        List<String> versions = new ArrayList<>();
        List<String[]> instances = new ArrayList<>(); // {instanceId, appId}
        List<String> rooms = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            newApp(platform, model, random);
        }
        StringBuilder trail = new StringBuilder("seed " + seed + ":");

        for (int step = 0; step < 60; step++) {
            int op = random.nextInt(10);
            String v = versions.isEmpty() ? null : versions.get(random.nextInt(versions.size()));
            List<String> appIds = new ArrayList<>(model.apps.keySet());
            java.util.Collections.sort(appIds);
            String app = appIds.get(random.nextInt(appIds.size()));
            switch (op) {
                case 0, 1 -> { // upload and submit
                    String[] c = components[random.nextInt(components.length)];
                    int n = patch.merge(c[0], 1, Integer::sum);
                    boolean failing = random.nextInt(5) == 0;
                    boolean consent = c[1].equals("component") && random.nextInt(4) == 0;
                    var files = TestBundles.files(TestBundles.manifest(c[0], "1.0." + n, c[1],
                            consent ? List.of("room:read", "user:profile") : List.of("room:read"), List.of()));
                    if (failing) {
                        files.put("payload.exe", new byte[]{0});
                    }
                    Principal dev = c[1].equals("plugin") ? officialDev : thirdDev;
                    ComponentVersion uploaded = platform.components().upload(dev, c[0], TestBundles.zip(files));
                    ComponentVersion submitted = platform.components().submit(dev, uploaded.id());
                    versions.add(uploaded.id());
                    model.versionState.put(uploaded.id(), failing ? "checks_failed" : "in_review");
                    model.needsConsent.put(uploaded.id(), consent);
                    model.kind.put(uploaded.id(), c[1]);
                    model.component.put(uploaded.id(), c[0]);
                    trail.append(" submit(").append(c[0]).append(failing ? ",bad" : "").append(consent ? ",consent" : "").append(")");
                    assertThat(submitted.state().wire()).as(trail.toString()).isEqualTo(model.versionState.get(uploaded.id()));
                }
                case 2, 3 -> { // approve
                    if (v == null) {
                        continue;
                    }
                    boolean allowed = "in_review".equals(model.versionState.get(v));
                    trail.append(" approve(").append(v).append(")");
                    if (attempt(() -> platform.review().approve(REVIEWER, v, null), allowed, trail)) {
                        model.versionState.put(v, "approved");
                        model.apps.keySet().forEach(a -> model.deliver(v, a));
                    }
                }
                case 4 -> { // reject or revoke
                    if (v == null) {
                        continue;
                    }
                    boolean revoke = random.nextBoolean();
                    String from = revoke ? "approved" : "in_review";
                    trail.append(revoke ? " revoke(" : " reject(").append(v).append(")");
                    boolean allowed = from.equals(model.versionState.get(v));
                    Runnable action = revoke ? () -> platform.review().revoke(REVIEWER, v, "why") : () -> platform.review().reject(REVIEWER, v, "why");
                    if (attempt(action, allowed, trail)) {
                        model.versionState.put(v, revoke ? "revoked" : "rejected");
                        if (revoke) {
                            revokes++;
                            model.delivery.replaceAll((k, s) -> k.startsWith(v + "@") ? "revoked" : s);
                        }
                    }
                }
                case 5 -> { // the app's own reviewer decides
                    if (v == null) {
                        continue;
                    }
                    Review.Decision d = Review.Decision.values()[random.nextInt(3)];
                    String current = model.delivery.get(v + "@" + app);
                    String next = switch (d) {
                        case APPROVE -> "pending".equals(current) && "approved".equals(model.versionState.get(v)) ? "live" : null;
                        case REJECT -> "pending".equals(current) ? "rejected" : null;
                        case REVOKE -> "live".equals(current) ? "revoked" : null;
                    };
                    trail.append(" app-").append(d.name().toLowerCase()).append("(").append(v).append("@").append(app).append(")");
                    Principal appReviewer = new Principal("app-reviewer", Role.APP_REVIEWER, app);
                    if (attempt(() -> platform.review().decide(appReviewer, app, v, d, "why"), next != null, trail)) {
                        model.delivery.put(v + "@" + app, next);
                    }
                }
                case 6 -> { // a new host app joins
                    trail.append(" new-app");
                    newApp(platform, model, random);
                }
                case 7, 8 -> { // build an instance from random versions
                    List<String> plugins = versions.stream().filter(x -> model.kind.get(x).equals("plugin")).toList();
                    if (plugins.isEmpty()) {
                        continue;
                    }
                    String plugin = plugins.get(random.nextInt(plugins.size()));
                    List<InstanceDocument.Part> parts = new ArrayList<>();
                    List<String> chosen = new ArrayList<>();
                    for (String x : versions) {
                        if (model.kind.get(x).equals("component") && random.nextInt(3) == 0
                                && chosen.stream().noneMatch(y -> model.component.get(y).equals(model.component.get(x)))) {
                            chosen.add(x);
                            parts.add(new InstanceDocument.Part(x, null, null, null, null));
                        }
                    }
                    boolean allowed = model.live(plugin, app) && chosen.stream().allMatch(x -> model.live(x, app));
                    trail.append(" build(").append(app).append(":").append(plugin).append(chosen).append(")");
                    Principal operator = new Principal("operator", Role.APP_OPERATOR, app);
                    InstanceDocument doc = new InstanceDocument(app, new InstanceDocument.Part(plugin, null, null, null, null), parts);
                    String[] built = new String[1];
                    if (attempt(() -> built[0] = platform.instances().build(operator, app, doc).id(), allowed, trail)) {
                        instances.add(new String[]{built[0], app});
                        builds++;
                    }
                }
                case 9 -> { // bind an instance in a room
                    if (instances.isEmpty()) {
                        continue;
                    }
                    String[] inst = instances.get(random.nextInt(instances.size()));
                    if (rooms.isEmpty() || random.nextInt(3) == 0) {
                        rooms.add(platform.rooms().create(ADMIN, "room", null, List.of()).id());
                    }
                    String room = rooms.get(random.nextInt(rooms.size()));
                    var status = platform.instances().get(ADMIN, inst[0]);
                    boolean allowed = status.notLive().isEmpty();
                    trail.append(" bind(").append(room).append(",").append(inst[0], 0, 8).append(")");
                    if (attempt(() -> platform.rooms().deliver(ADMIN, room, inst[1], inst[0]), allowed, trail)) {
                        binds++;
                    }
                }
                default -> throw new IllegalStateException();
            }
            checkInvariants(platform, model, versions, rooms, trail.toString());
        }
    }

    private static void newApp(Platform platform, Model model, Random random) {
        String policy = random.nextBoolean() ? "direct" : "review";
        boolean consent = random.nextInt(3) == 0;
        String id = platform.apps().create(ADMIN, "app", policy, List.of(), consent).app().id();
        model.apps.put(id, new String[]{policy, consent ? "consent" : "no"});
        model.versionState.forEach((v, s) -> {
            if (s.equals("approved")) {
                model.deliver(v, id);
            }
        });
    }

    /** Runs an operation the model allows or refuses; a refusal must be a clear platform error, never anything else. */
    private static boolean attempt(Runnable action, boolean allowed, StringBuilder trail) {
        try {
            action.run();
        } catch (PlatformException e) {
            assertThat(allowed).as("%s refused with %s: %s", trail, e.code(), e.getMessage()).isFalse();
            trail.append("!");
            return false;
        }
        assertThat(allowed).as("%s was allowed", trail).isTrue();
        return true;
    }

    private static void checkInvariants(Platform platform, Model model, List<String> versions, List<String> rooms, String trail) {
        for (String app : model.apps.keySet()) {
            for (String v : versions) {
                assertThat(platform.bundleFiles().file(null, app, v, "index.html").isPresent())
                        .as("%s: %s served to %s", trail, v, app).isEqualTo(model.live(v, app));
            }
            for (String room : rooms) {
                PlatformRooms.Container c;
                try {
                    c = platform.rooms().container(room, app);
                } catch (PlatformException e) {
                    continue; // the room is not delivered to this app
                }
                for (PlatformRooms.LivePart part : c.parts()) {
                    assertThat(model.live(part.versionId(), app)).as("%s: %s mounted in %s for %s", trail, part.versionId(), room, app).isTrue();
                }
            }
        }
        for (String v : versions) {
            assertThat(platform.versions().get(ADMIN, v).state().wire()).as("%s: state of %s", trail, v).isEqualTo(model.versionState.get(v));
        }
    }
}
