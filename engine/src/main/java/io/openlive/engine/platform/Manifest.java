package io.openlive.engine.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A component's {@code manifest.json} (DESIGN.md): id, name, version, kind, entry, slots, permissions, topics it
 * subscribes to and emits, default size. {@link #parse} accepts only a manifest that passes {@link #problems}.
 */
public record Manifest(String id, String name, String version, String kind, String entry, List<String> slots,
                       List<String> permissions, List<String> subscribes, List<String> emits, int width, int height) {
    /** Manifests are small; anything larger is refused before it is parsed. */
    public static final int MAX_BYTES = 64 * 1024;
    public static final Set<String> KINDS = Set.of("component", "plugin");
    /** Room topics every component may subscribe to; a component emits only under its own id. */
    public static final Set<String> ROOM_TOPICS = Set.of("comment", "like", "gift", "product.pin", "presence", "system");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{0,39}(\\.[a-z][a-z0-9-]{0,39}){1,4}");
    private static final Pattern SLOT = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final Pattern TOPIC = Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)*");
    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*");

    public static boolean isValidId(String id) {
        return ID.matcher(id).matches();
    }

    /** Parses and validates; every problem found is in the exception's message. */
    public static Manifest parse(byte[] json) {
        if (json.length > MAX_BYTES) {
            throw new PlatformException(PlatformException.Kind.TOO_LARGE, "MANIFEST_TOO_LARGE",
                    "manifest.json is " + json.length + " bytes; the limit is " + MAX_BYTES);
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw PlatformException.invalid("MANIFEST_INVALID", "manifest.json is not JSON: " + firstLine(e));
        }
        if (root == null || !root.isObject()) {
            throw PlatformException.invalid("MANIFEST_INVALID", "manifest.json must be a JSON object");
        }
        List<String> problems = new ArrayList<>();
        JsonNode topics = root.path("topics");
        JsonNode size = root.path("size");
        Manifest m = new Manifest(text(root, "id", problems), text(root, "name", problems), text(root, "version", problems),
                text(root, "kind", problems), text(root, "entry", problems), slots(root, problems),
                strings(root.path("permissions"), "permissions", problems),
                strings(topics.path("subscribe"), "topics.subscribe", problems),
                strings(topics.path("emit"), "topics.emit", problems),
                size.path("width").asInt(0), size.path("height").asInt(0));
        problems.addAll(m.problems());
        if (!problems.isEmpty()) {
            throw PlatformException.invalid("MANIFEST_INVALID", "manifest.json: " + String.join("; ", problems));
        }
        return m;
    }

    /** Everything wrong with this manifest against the schema; empty when it is valid. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        if (id != null && !ID.matcher(id).matches()) {
            p.add("id '" + id + "' must be dotted lower-case names such as acme.coupon");
        }
        if (name != null && (name.isBlank() || name.length() > 80)) {
            p.add("name must be 1 to 80 characters");
        }
        if (version != null && !Semver.isValid(version)) {
            p.add("version '" + version + "' is not semver such as 1.2.3");
        }
        if (kind != null && !KINDS.contains(kind)) {
            p.add("kind must be component or plugin, not '" + kind + "'");
        }
        if (entry != null && (!PATH.matcher(entry).matches() || entry.contains(".."))) {
            p.add("entry '" + entry + "' must be a relative path inside the bundle");
        }
        if (slots.isEmpty()) {
            p.add("slot or slots must name at least one slot");
        }
        slots.stream().filter(s -> !SLOT.matcher(s).matches()).forEach(s -> p.add("slot '" + s + "' is not a slot name"));
        permissions.stream().filter(s -> !Permission.isKnown(s))
                .forEach(s -> p.add("unknown permission '" + s + "' (known: " + String.join(", ", new java.util.TreeSet<>(Permission.known())) + ")"));
        subscribes.stream().filter(s -> !TOPIC.matcher(s).matches()).forEach(s -> p.add("topic '" + s + "' is not a topic name"));
        emits.stream().filter(s -> !TOPIC.matcher(s).matches()).forEach(s -> p.add("topic '" + s + "' is not a topic name"));
        if (width < 0 || height < 0 || width > 4096 || height > 4096) {
            p.add("size.width and size.height must be 0 to 4096");
        }
        return p;
    }

    private static String text(JsonNode root, String field, List<String> problems) {
        JsonNode n = root.get(field);
        if (n == null || !n.isTextual()) {
            problems.add(field + " is required and must be a string");
            return null;
        }
        return n.asText();
    }

    private static List<String> slots(JsonNode root, List<String> problems) {
        if (root.has("slots")) {
            return strings(root.get("slots"), "slots", problems);
        }
        JsonNode slot = root.get("slot");
        if (slot != null && slot.isTextual()) {
            return List.of(slot.asText());
        }
        return List.of();
    }

    private static List<String> strings(JsonNode n, String field, List<String> problems) {
        if (n.isMissingNode() || n.isNull()) {
            return List.of();
        }
        if (!n.isArray() || n.size() > 64) {
            problems.add(field + " must be an array of at most 64 strings");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isTextual() || e.asText().length() > 100) {
                problems.add(field + " must hold strings of at most 100 characters");
                return List.of();
            }
            out.add(e.asText());
        }
        return List.copyOf(out);
    }

    private static String firstLine(java.io.IOException e) {
        String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        return m == null ? "unreadable" : m.lines().findFirst().orElse(m);
    }
}
