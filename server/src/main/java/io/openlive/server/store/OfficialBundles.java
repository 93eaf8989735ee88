package io.openlive.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openlive.server.internal.ClasspathFolder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The official component sources shipped in the jar, zipped as a developer's {@code component pack} would: the classpath
 * folder (default {@code official/}) holds {@code index.json}, an array of directory names, and one bundle directory
 * each. Blocking I/O: call it off the event loops. Usage: {@code List<byte[]> zips = OfficialBundles.zips("official");}
 */
public final class OfficialBundles {
    /** Six small bundles; far more is a packaging mistake. */
    static final long MAX_BYTES = 32L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private OfficialBundles() {
    }

    /** One zip per listed directory, in the index's order; empty when the folder or its index is not on the classpath. */
    public static List<byte[]> zips(String folder) {
        Map<String, byte[]> files = ClasspathFolder.read(folder, MAX_BYTES);
        byte[] index = files.get("index.json");
        if (index == null) {
            return List.of();
        }
        JsonNode names;
        try {
            names = JSON.readTree(index);
        } catch (IOException e) {
            throw new IllegalStateException(folder + "/index.json is not JSON: " + e.getMessage());
        }
        if (names == null || !names.isArray()) {
            throw new IllegalStateException(folder + "/index.json must be an array of directory names");
        }
        List<byte[]> out = new ArrayList<>();
        for (JsonNode name : names) {
            String prefix = name.asText() + "/";
            if (!name.isTextual() || name.asText().isEmpty() || name.asText().contains("/")
                    || files.keySet().stream().noneMatch(f -> f.startsWith(prefix))) {
                throw new IllegalStateException(folder + "/index.json names " + name + ", which is not a directory beside it");
            }
            out.add(zip(files, prefix));
        }
        return out;
    }

    /** The files under {@code prefix}, named relative to it, in name order. */
    static byte[] zip(Map<String, byte[]> files, String prefix) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                if (f.getKey().startsWith(prefix)) {
                    zip.putNextEntry(new ZipEntry(f.getKey().substring(prefix.length())));
                    zip.write(f.getValue());
                    zip.closeEntry();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
