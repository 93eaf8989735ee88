package io.openlive.engine.platform;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Semantic Versioning 2.0.0 version, ordered by precedence (section 11: build metadata is ignored). */
public record Semver(long major, long minor, long patch, String preRelease, String build) implements Comparable<Semver> {
    // semver.org's grammar: numeric identifiers without leading zeroes, dot-separated pre-release and build identifiers
    private static final Pattern GRAMMAR = Pattern.compile(
            "(0|[1-9]\\d{0,17})\\.(0|[1-9]\\d{0,17})\\.(0|[1-9]\\d{0,17})"
                    + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
                    + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?");

    public static boolean isValid(String text) {
        return text != null && text.length() <= 64 && GRAMMAR.matcher(text).matches();
    }

    public static Semver parse(String text) {
        if (text == null || text.length() > 64) {
            throw PlatformException.invalid("INVALID_VERSION", "version must be semver such as 1.2.3");
        }
        Matcher m = GRAMMAR.matcher(text);
        if (!m.matches()) {
            throw PlatformException.invalid("INVALID_VERSION", "'" + text + "' is not a semantic version such as 1.2.3");
        }
        return new Semver(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                m.group(4), m.group(5));
    }

    @Override
    public int compareTo(Semver o) {
        int c = Long.compare(major, o.major);
        if (c == 0) {
            c = Long.compare(minor, o.minor);
        }
        if (c == 0) {
            c = Long.compare(patch, o.patch);
        }
        if (c != 0) {
            return c;
        }
        if (preRelease == null || o.preRelease == null) { // a release ranks above its pre-releases
            return preRelease == null ? (o.preRelease == null ? 0 : 1) : -1;
        }
        String[] a = preRelease.split("\\.");
        String[] b = o.preRelease.split("\\.");
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            c = compareIdentifier(a[i], b[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.length, b.length);
    }

    private static int compareIdentifier(String a, String b) {
        boolean na = a.chars().allMatch(Character::isDigit);
        boolean nb = b.chars().allMatch(Character::isDigit);
        if (na && nb) {
            return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
        }
        if (na != nb) {
            return na ? -1 : 1; // numeric identifiers rank below alphanumeric ones
        }
        return a.compareTo(b);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch + (preRelease == null ? "" : "-" + preRelease) + (build == null ? "" : "+" + build);
    }
}
