package io.openlive.server.commerce;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of this test's own, made with the Debian binaries under {@code /usr/lib/postgresql/N/bin} in a
 * temporary directory, listening on a free loopback port with trust authentication, so a test may stop it with
 * {@code pg_ctl stop -m immediate} (a crash: no checkpoint) and start it again. The shared PostgreSQL on 5432 is never
 * touched. Run as root, the binaries run as the {@code postgres} user (PostgreSQL refuses root). Without the binaries
 * the test is skipped locally and fails in CI. Usage: {@code try (OwnPostgres pg = OwnPostgres.start()) { pg.url … }}.
 */
final class OwnPostgres implements AutoCloseable {
    private final Path bin;
    private final Path base;
    private final Path data;
    final int port;
    final String url;

    private OwnPostgres(Path bin, Path base, int port) {
        this.bin = bin;
        this.base = base;
        this.data = base.resolve("data");
        this.port = port;
        this.url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    static OwnPostgres start() throws Exception {
        Path bin = binaries();
        Path base = Files.createTempDirectory("openlive-pg");
        if (asRoot()) {
            run(List.of("chown", "-R", "postgres:postgres", base.toString()));
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        OwnPostgres pg = new OwnPostgres(bin, base, port);
        pg.pg(List.of(bin.resolve("initdb").toString(), "-D", pg.data.toString(), "-A", "trust", "-U", "postgres", "--no-sync"));
        pg.begin();
        return pg;
    }

    /** Starts the server and waits until it accepts connections. */
    void begin() throws Exception {
        pg(List.of(bin.resolve("pg_ctl").toString(), "start", "-w", "-t", "60", "-D", data.toString(),
                "-l", base.resolve("log").toString(),
                "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -k " + base + " -c fsync=on"));
    }

    /** {@code pg_ctl stop -m immediate}: every backend killed at once, recovery from the WAL on the next start. */
    void crash() throws Exception {
        pg(List.of(bin.resolve("pg_ctl").toString(), "stop", "-w", "-t", "60", "-m", "immediate", "-D", data.toString()));
    }

    @Override
    public void close() throws Exception {
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                crash();
            }
        } finally {
            try (Stream<Path> all = Files.walk(base)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void pg(List<String> command) throws Exception {
        List<String> full = new ArrayList<>();
        if (asRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        run(full);
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed: " + new String(out));
        }
    }

    private static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static Path binaries() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                var found = versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb"))
                        && Files.isExecutable(b.resolve("pg_ctl"))).max(Comparator.naturalOrder());
                if (found.isPresent()) {
                    return found.get();
                }
            }
        }
        String message = "PostgreSQL server binaries (initdb, pg_ctl) not found under /usr/lib/postgresql/*/bin";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(message);
        }
        Assumptions.abort(message);
        return null;
    }
}
