package io.openlive.server.commerce;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code openlive serve} in a child JVM on this test's class path, on loopback with ephemeral ports, so a test can kill
 * it with SIGKILL ({@link #kill}) and start another on the same data directory or database.
 */
final class ChildServer implements AutoCloseable {
    private static final Pattern PLAY = Pattern.compile("play\\s+http://127\\.0\\.0\\.1:(\\d+)/live/");
    private static final Pattern ADMIN = Pattern.compile("admin key (olk_\\S+)");

    private final Process process;
    final int httpPort;
    /** The first admin key, printed only when the store is new; null otherwise. */
    final String adminKey;
    final List<String> output = java.util.Collections.synchronizedList(new ArrayList<>());

    private ChildServer(Process process, int httpPort, String adminKey) {
        this.process = process;
        this.httpPort = httpPort;
        this.adminKey = adminKey;
    }

    static ChildServer start(Path dataDir, String databaseUrl) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), "io.openlive.server.cli.OpenliveCommand", "serve",
                "--host", "127.0.0.1", "--http-port", "0", "--rtmp-port", "0", "--data-dir", dataDir.toString(), "--event-loops", "2",
                "--component-port", "0", "--no-demo", "--max-connections-per-address", "0", "--rt-anonymous-per-second", "0"));
        if (!databaseUrl.isEmpty()) {
            command.add("--database-url");
            command.add(databaseUrl);
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        CompletableFuture<String> admin = new CompletableFuture<>();
        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                    Matcher m = PLAY.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                    Matcher a = ADMIN.matcher(line);
                    if (a.find()) {
                        admin.complete(a.group(1));
                    }
                    if (line.startsWith("  demo room ")) {
                        admin.complete(null); // the banner's last line (demo mode also prints "the demo room loops…" earlier): no admin key on a store that has one
                    }
                }
            } catch (java.io.IOException e) {
                // the process died; the futures below time out with its output
            }
            port.completeExceptionally(new IllegalStateException("server exited: " + lines));
        });
        try {
            int httpPort = port.get(60, TimeUnit.SECONDS);
            ChildServer s = new ChildServer(p, httpPort, admin.get(10, TimeUnit.SECONDS));
            s.output.addAll(lines);
            return s;
        } catch (Exception e) {
            p.destroyForcibly();
            throw new AssertionError("child server did not start: " + lines, e);
        }
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
