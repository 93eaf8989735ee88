package io.openlive.server.internal;

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
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Every file under one folder of the class path, read at once: from a jar (the shipped {@code openlive.jar}) and from
 * classes directories (a build, and tests, whose resources add to the main ones; the first root on the class path wins
 * a name both have). Names are relative to the folder with '/' separators. Blocking I/O, for start-up. Usage:
 * {@code Map<String, byte[]> files = ClasspathFolder.read("web", 64 << 20);}
 */
public final class ClasspathFolder {
    private ClasspathFolder() {
    }

    /**
     * The files, in name order; empty when no root has the folder. {@code maxBytes} bounds the total (a folder this large
     * is a packaging mistake, refused rather than held in memory).
     */
    public static Map<String, byte[]> read(String folder, long maxBytes) {
        return read(ClasspathFolder.class.getClassLoader(), folder, maxBytes);
    }

    /** As {@link #read(String, long)}, from the roots of {@code loader}. */
    public static Map<String, byte[]> read(ClassLoader loader, String folder, long maxBytes) {
        Map<String, byte[]> out = new TreeMap<>();
        long[] total = {0};
        try {
            for (URI root : roots(loader, folder)) {
                if ("jar".equals(root.getScheme())) {
                    String s = root.toString();
                    URI jar = URI.create(s.substring(0, s.indexOf("!/")));
                    FileSystem fs;
                    boolean opened = false;
                    try {
                        fs = FileSystems.newFileSystem(jar, Map.of());
                        opened = true;
                    } catch (FileSystemAlreadyExistsException e) {
                        fs = FileSystems.getFileSystem(jar);
                    }
                    try {
                        walk(fs.getPath("/" + folder), out, total, maxBytes);
                    } finally {
                        if (opened) {
                            fs.close();
                        }
                    }
                } else if ("file".equals(root.getScheme())) {
                    walk(Path.of(root), out, total, maxBytes);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("class path folder " + folder + " unreadable", e);
        }
        return Collections.unmodifiableMap(out);
    }

    /** The folder in every class path root: directories name it, a jar is found through any file under it. */
    private static List<URI> roots(ClassLoader loader, String folder) throws IOException {
        Set<URI> roots = new LinkedHashSet<>();
        try {
            for (URL u : Collections.list(loader.getResources(folder))) {
                roots.add(u.toURI());
            }
            for (URL u : Collections.list(loader.getResources(folder + "/"))) {
                roots.add(u.toURI());
            }
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        List<URI> out = new ArrayList<>();
        Set<String> jars = new LinkedHashSet<>();
        for (URI r : roots) {
            if ("jar".equals(r.getScheme())) {
                String s = r.toString();
                if (jars.add(s.substring(0, s.indexOf("!/")))) {
                    out.add(r);
                }
            } else if ("file".equals(r.getScheme()) && Files.isDirectory(Path.of(r)) && out.stream()
                    .noneMatch(o -> "file".equals(o.getScheme()) && Path.of(o).equals(Path.of(r)))) {
                out.add(r);
            }
        }
        return out;
    }

    private static void walk(Path dir, Map<String, byte[]> out, long[] total, long maxBytes) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                StringBuilder name = new StringBuilder();
                for (Path part : dir.relativize(file)) {
                    name.append(name.isEmpty() ? "" : "/").append(part.toString());
                }
                if (out.containsKey(name.toString())) {
                    continue;
                }
                byte[] bytes = Files.readAllBytes(file);
                total[0] += bytes.length;
                if (total[0] > maxBytes) {
                    throw new IllegalStateException("class path folder " + dir + " holds more than " + maxBytes + " bytes");
                }
                out.put(name.toString(), bytes);
            }
        }
    }
}
