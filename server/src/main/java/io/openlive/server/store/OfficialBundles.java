package io.openlive.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The official component sources shipped in the jar, zipped as a developer's {@code component pack} would: the classpath
 * folder (default {@code official/}) holds {@code index.json}, an array of directory names, and one bundle directory
 * each. Works from a jar and from a classes directory. Blocking file I/O: call it off the event loops. Usage:
 * {@code List<byte[]> zips = OfficialBundles.zips("official");}
 */
public final class OfficialBundles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private OfficialBundles() {
    }

    /** One zip per listed directory, in the index's order; empty when the folder or its index is not on the classpath. */
    public static List<byte[]> zips(String folder) {
        URL index = OfficialBundles.class.getClassLoader().getResource(folder + "/index.json");
        if (index == null) {
            return List.of();
        }
        try {
            URI uri = index.toURI();
            if ("jar".equals(uri.getScheme())) {
                FileSystem fs;
                boolean opened = false;
                try {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                    opened = true;
                } catch (FileSystemAlreadyExistsException e) {
                    fs = FileSystems.getFileSystem(uri);
                }
                try {
                    return zipListed(fs.getPath("/" + folder));
                } finally {
                    if (opened) {
                        fs.close();
                    }
                }
            }
            return zipListed(Path.of(uri).getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("official components in " + folder + " unreadable", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<byte[]> zipListed(Path root) throws IOException {
        JsonNode names = JSON.readTree(Files.readAllBytes(root.resolve("index.json")));
        if (names == null || !names.isArray()) {
            throw new IllegalStateException(root.resolve("index.json") + " must be an array of directory names");
        }
        List<byte[]> out = new ArrayList<>();
        for (JsonNode name : names) {
            Path dir = root.resolve(name.asText());
            if (!name.isTextual() || name.asText().contains("/") || !Files.isDirectory(dir)) {
                throw new IllegalStateException(root.resolve("index.json") + " names " + name + ", which is not a directory beside it");
            }
            out.add(zip(dir));
        }
        return out;
    }

    /** Every regular file under {@code dir}, named relative to it with '/' separators, in a stable order. */
    static byte[] zip(Path dir) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes); Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                StringBuilder name = new StringBuilder();
                for (Path part : dir.relativize(file)) {
                    name.append(name.isEmpty() ? "" : "/").append(part.toString());
                }
                zip.putNextEntry(new ZipEntry(name.toString()));
                zip.write(Files.readAllBytes(file));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
