package io.openlive.engine.platform;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The automated checks a version goes through on submit. Each returns every reason it fails, so a developer fixes all of
 * them in one round: manifest schema, semver order, entry file, sizes, file types, remote code, permissions for the
 * developer's tier, topics within the component's namespace.
 */
public final class BundleChecks {
    /** File types a bundle may hold: markup, code, styles, data, images, fonts. */
    private static final Set<String> SCANNED = Set.of("html", "htm", "svg", "css", "js", "mjs");
    public static final Set<String> ALLOWED_EXTENSIONS = Set.of("html", "htm", "js", "mjs", "css", "json", "txt", "map",
            "png", "jpg", "jpeg", "gif", "webp", "svg", "ico", "woff", "woff2");

    /** How long all checks of one bundle may take before the bundle fails as too costly to check. */
    public static final java.time.Duration DEFAULT_BUDGET = java.time.Duration.ofSeconds(5);

    private BundleChecks() {
    }

    /**
     * Runs every check.
     *
     * @param earlier versions of the same component that reached review (their semver must be exceeded)
     */
    public static CheckReport run(Bundle bundle, Component component, Tier tier, List<String> earlier, BundleLimits limits) {
        return run(bundle, component, tier, earlier, limits, DEFAULT_BUDGET);
    }

    /** Runs every check; scanning stops, failing the bundle, once {@code budget} is spent. */
    public static CheckReport run(Bundle bundle, Component component, Tier tier, List<String> earlier, BundleLimits limits,
                                  java.time.Duration budget) {
        Manifest m = bundle.manifest();
        List<CheckReport.Check> checks = new ArrayList<>();
        checks.add(schema(m, component));
        checks.add(semver(m, earlier));
        checks.add(entry(m, bundle));
        checks.add(sizes(bundle, limits));
        checks.add(fileTypes(bundle));
        checks.add(remoteCode(bundle, limits, budget));
        checks.add(permissions(m, tier));
        checks.add(methodPermissions(bundle, limits));
        checks.add(topics(m));
        return new CheckReport(List.copyOf(checks));
    }

    /**
     * The checks a developer can run before uploading (the CLI's {@code component pack}): everything but the ones that
     * need the platform's records (semver order, the developer's tier, the registered component).
     */
    public static CheckReport offline(Bundle bundle, BundleLimits limits) {
        Manifest m = bundle.manifest();
        return new CheckReport(List.of(check("manifest-schema", m.problems()), entry(m, bundle), sizes(bundle, limits),
                fileTypes(bundle), remoteCode(bundle, limits, DEFAULT_BUDGET), methodPermissions(bundle, limits), topics(m)));
    }

    private static CheckReport.Check check(String name, List<String> reasons) {
        return new CheckReport.Check(name, reasons.isEmpty(), List.copyOf(reasons));
    }

    static CheckReport.Check schema(Manifest m, Component component) {
        List<String> r = new ArrayList<>(m.problems());
        if (!m.id().equals(component.id())) {
            r.add("manifest id '" + m.id() + "' is not the component's id '" + component.id() + "'");
        }
        if (!m.kind().equals(component.kind())) {
            r.add("manifest kind '" + m.kind() + "' is not the component's kind '" + component.kind() + "'");
        }
        return check("manifest-schema", r);
    }

    static CheckReport.Check semver(Manifest m, List<String> earlier) {
        List<String> r = new ArrayList<>();
        Semver v = Semver.parse(m.version());
        for (String e : earlier) {
            if (Semver.parse(e).compareTo(v) >= 0) {
                r.add("version " + v + " is not greater than earlier version " + e);
            }
        }
        return check("semver", r);
    }

    static CheckReport.Check entry(Manifest m, Bundle b) {
        List<String> r = new ArrayList<>();
        if (!b.files().containsKey(m.entry())) {
            r.add("entry file '" + m.entry() + "' is not in the bundle");
        } else if (!m.entry().endsWith(".html")) {
            r.add("entry file '" + m.entry() + "' must be an .html file");
        }
        return check("entry", r);
    }

    static CheckReport.Check sizes(Bundle b, BundleLimits limits) {
        List<String> r = new ArrayList<>();
        if (b.zip().length > limits.maxBundleBytes()) {
            r.add("bundle is " + b.zip().length + " bytes; the limit is " + limits.maxBundleBytes());
        }
        long unpacked = b.files().values().stream().mapToLong(f -> f.length).sum();
        if (unpacked > limits.maxBundleBytes()) {
            r.add("bundle unpacks to " + unpacked + " bytes; the limit is " + limits.maxBundleBytes());
        }
        b.files().forEach((path, data) -> {
            if (data.length > limits.maxFileBytes()) {
                r.add(path + " is " + data.length + " bytes; the limit per file is " + limits.maxFileBytes());
            }
        });
        return check("size", r);
    }

    static CheckReport.Check fileTypes(Bundle b) {
        List<String> r = new ArrayList<>();
        for (String path : b.files().keySet()) {
            if (!ALLOWED_EXTENSIONS.contains(extension(path))) {
                r.add(path + ": file type not allowed (allowed: " + String.join(", ", new java.util.TreeSet<>(ALLOWED_EXTENSIONS)) + ")");
            }
        }
        return check("file-types", r);
    }

    /**
     * Remote code in markup, styles and scripts, scanned linearly ({@link RemoteCode}). A file past the per-file size
     * limit is not scanned (it fails the size check), and scanning stops when the time budget is spent.
     */
    static CheckReport.Check remoteCode(Bundle b, BundleLimits limits, java.time.Duration budget) {
        List<String> r = new ArrayList<>();
        long deadline = System.nanoTime() + budget.toNanos();
        for (Map.Entry<String, byte[]> f : b.files().entrySet()) {
            String ext = extension(f.getKey());
            if (!SCANNED.contains(ext)) {
                continue;
            }
            if (f.getValue().length > limits.maxFileBytes()) {
                r.add(f.getKey() + ": not scanned for remote code: " + f.getValue().length + " bytes, past the limit per file of " + limits.maxFileBytes());
                continue;
            }
            if (System.nanoTime() - deadline > 0) {
                r.add("checks stopped at " + f.getKey() + ": the bundle took longer than " + budget.toMillis() + " ms to scan");
                break;
            }
            String text = new String(f.getValue(), StandardCharsets.UTF_8);
            Optional<RemoteCode.Finding> remote = switch (ext) {
                case "html", "htm" -> RemoteCode.inMarkup(text, false);
                case "svg" -> RemoteCode.inMarkup(text, true);
                case "css" -> RemoteCode.inCss(text);
                default -> RemoteCode.inJavaScript(text);
            };
            remote.ifPresent(found -> r.add(f.getKey() + ":" + found.line() + ": " + found.what()));
            if (ext.equals("js") || ext.equals("mjs")) {
                RemoteCode.evaluation(text).ifPresent(found -> r.add(f.getKey() + ":" + found.line() + ": " + found.what()));
            }
        }
        return check("remote-code", r);
    }

    static CheckReport.Check permissions(Manifest m, Tier tier) {
        List<String> r = new ArrayList<>();
        for (String perm : m.permissions()) {
            Permission.Access a = Permission.access(perm, tier).orElse(Permission.Access.DENIED);
            if (a == Permission.Access.DENIED) {
                r.add("permission " + perm + " is not available to " + tier.wire() + " developers");
            }
        }
        return check("permissions", r);
    }

    /**
     * Code that names a realtime method as a string ({@code 'comment.send'}) needs the permission the method needs
     * ({@link MethodPermissions}) in its manifest: the server refuses the call otherwise, so the check says so first.
     */
    static CheckReport.Check methodPermissions(Bundle b, BundleLimits limits) {
        List<String> r = new ArrayList<>();
        java.util.Set<String> granted = java.util.Set.copyOf(b.manifest().permissions());
        java.util.Set<String> reported = new java.util.HashSet<>();
        for (Map.Entry<String, byte[]> f : b.files().entrySet()) {
            String ext = extension(f.getKey());
            if (!SCANNED.contains(ext) || ext.equals("css") || f.getValue().length > limits.maxFileBytes()) {
                continue;
            }
            String text = new String(f.getValue(), StandardCharsets.UTF_8);
            for (Map.Entry<String, String> e : new java.util.TreeMap<>(MethodPermissions.REQUIRED).entrySet()) {
                String method = e.getKey();
                boolean named = text.contains("'" + method + "'") || text.contains("\"" + method + "\"") || text.contains("`" + method + "`");
                if (named && !granted.contains(e.getValue()) && reported.add(method)) {
                    r.add(f.getKey() + " calls " + method + ", which needs the permission " + e.getValue() + " in manifest.json");
                }
            }
        }
        return check("method-permissions", r);
    }

    static CheckReport.Check topics(Manifest m) {
        List<String> r = new ArrayList<>();
        String own = m.id() + ".";
        for (String t : m.emits()) {
            if (!t.startsWith(own)) {
                r.add("emits '" + t + "' outside its namespace " + own + "*");
            }
        }
        for (String t : m.subscribes()) {
            if (!Manifest.ROOM_TOPICS.contains(t) && !t.startsWith(own)) {
                r.add("subscribes to '" + t + "', which is neither a room topic (" + String.join(", ", new java.util.TreeSet<>(Manifest.ROOM_TOPICS)) + ") nor in " + own + "*");
            }
        }
        return check("topics", r);
    }

    static String extension(String path) {
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        return dot > slash && dot >= 0 ? path.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
    }
}
