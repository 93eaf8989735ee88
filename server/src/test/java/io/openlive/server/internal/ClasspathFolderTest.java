package io.openlive.server.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A class path folder read from a classes directory and a jar together, as tests and the shipped jar have it. */
class ClasspathFolderTest {
    @Test
    void directoriesAndJarsAddUpAndTheFirstRootWins(@TempDir Path tmp) throws Exception {
        Path classes = tmp.resolve("classes");
        Files.createDirectories(classes.resolve("web/sub"));
        Files.writeString(classes.resolve("web/a.txt"), "from the directory");
        Files.writeString(classes.resolve("web/sub/c.css"), "c");
        Files.writeString(classes.resolve("other.txt"), "not in the folder");
        Path jar = tmp.resolve("app.jar");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(jar))) {
            for (String dir : new String[]{"web/", "web/sub/", "web/deep/"}) {
                z.putNextEntry(new ZipEntry(dir));
                z.closeEntry();
            }
            entry(z, "web/a.txt", "from the jar");
            entry(z, "web/sub/b.js", "b");
            entry(z, "web/deep/d.html", "d");
            entry(z, "webby/e.txt", "a neighbour, not the folder");
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[]{classes.toUri().toURL(), jar.toUri().toURL()}, null)) {
            Map<String, byte[]> files = ClasspathFolder.read(loader, "web", 1 << 20);
            assertThat(files.keySet()).containsExactly("a.txt", "deep/d.html", "sub/b.js", "sub/c.css");
            assertThat(new String(files.get("a.txt"), StandardCharsets.UTF_8)).isEqualTo("from the directory");
            assertThat(ClasspathFolder.read(loader, "missing", 1 << 20)).isEmpty();
            assertThatThrownBy(() -> ClasspathFolder.read(loader, "web", 10)).hasMessageContaining("more than 10 bytes");
        }
    }

    private static void entry(ZipOutputStream z, String name, String text) throws Exception {
        z.putNextEntry(new ZipEntry(name));
        OutputStream out = z;
        out.write(text.getBytes(StandardCharsets.UTF_8));
        z.closeEntry();
    }
}
