package io.openlive.engine.platform;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * A component bundle unpacked in memory, safely: every path is checked before it is used (no {@code ..}, no absolute or
 * drive paths, no backslashes: zip slip), bytes are counted as they inflate (the sizes a zip claims are not trusted:
 * zip bombs), and the number of files is bounded. Bundles are never written out file by file; the server keeps the zip.
 */
public final class Bundle {
    public static final String MANIFEST = "manifest.json";

    private final byte[] zip;
    private final Map<String, byte[]> files;

    private Bundle(byte[] zip, Map<String, byte[]> files) {
        this.zip = zip;
        this.files = files;
    }

    /** Unpacks {@code zip}; throws {@link PlatformException} (4xx) for anything unsafe or past the hard limits. */
    public static Bundle read(byte[] zip, BundleLimits limits) {
        if (zip.length > limits.maxUploadBytes()) {
            throw tooLarge("bundle is " + zip.length + " bytes; the limit is " + limits.maxUploadBytes());
        }
        if (zip.length < 4 || zip[0] != 'P' || zip[1] != 'K') {
            throw PlatformException.invalid("BUNDLE_INVALID", "bundle is not a zip file");
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        long unpacked = 0;
        byte[] buffer = new byte[16 * 1024];
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                String path = e.getName();
                checkPath(path);
                if (e.isDirectory()) {
                    continue;
                }
                if (files.size() >= limits.maxEntries()) {
                    throw tooLarge("bundle has more than " + limits.maxEntries() + " files");
                }
                if (files.containsKey(path)) {
                    throw PlatformException.invalid("BUNDLE_INVALID", "bundle holds '" + path + "' twice");
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                int n;
                while ((n = in.read(buffer)) > 0) {
                    unpacked += n;
                    if (unpacked > limits.maxUnpackedBytes()) {
                        throw tooLarge("bundle unpacks to more than " + limits.maxUnpackedBytes() + " bytes");
                    }
                    out.write(buffer, 0, n);
                }
                files.put(path, out.toByteArray());
            }
        } catch (ZipException e) {
            throw PlatformException.invalid("BUNDLE_INVALID", "bundle is not a readable zip: " + e.getMessage());
        } catch (IOException | IllegalArgumentException e) {
            throw PlatformException.invalid("BUNDLE_INVALID", "bundle is not a readable zip: " + e.getMessage());
        }
        if (files.isEmpty()) {
            throw PlatformException.invalid("BUNDLE_INVALID", "bundle is empty");
        }
        if (!files.containsKey(MANIFEST)) {
            throw PlatformException.invalid("MANIFEST_MISSING", "bundle has no manifest.json at its root");
        }
        return new Bundle(zip, Collections.unmodifiableMap(files));
    }

    /** Refuses paths that could leave the bundle when resolved against a directory. */
    static void checkPath(String path) {
        boolean bad = path.isEmpty() || path.length() > 240 || path.startsWith("/") || path.contains("\\")
                || path.contains(":") || path.indexOf('\0') >= 0;
        if (!bad) {
            String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
            for (String segment : trimmed.split("/", -1)) {
                if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                    bad = true;
                    break;
                }
            }
        }
        if (bad) {
            throw PlatformException.invalid("BUNDLE_UNSAFE_PATH", "bundle entry '" + printable(path) + "' is not a safe relative path");
        }
    }

    private static String printable(String s) {
        String p = s.replaceAll("[^\\x20-\\x7e]", "?");
        return p.length() > 80 ? p.substring(0, 80) + "…" : p;
    }

    private static PlatformException tooLarge(String message) {
        return new PlatformException(PlatformException.Kind.TOO_LARGE, "BUNDLE_TOO_LARGE", message);
    }

    public Manifest manifest() {
        return Manifest.parse(files.get(MANIFEST));
    }

    public byte[] zip() {
        return zip;
    }

    public Map<String, byte[]> files() {
        return files;
    }
}
