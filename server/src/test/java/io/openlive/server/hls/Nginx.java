package io.openlive.server.hls;

import io.openlive.server.Eventually;
import io.openlive.server.Tools;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real nginx in front of the origin as an HTTP cache ({@code proxy_cache} with {@code proxy_cache_lock}, so concurrent
 * misses for one URL make one origin request), with its own prefix, configuration and port. Cache lifetimes come from
 * the origin's Cache-Control.
 */
final class Nginx implements AutoCloseable {
    final int port;
    final Path prefix;
    private final Process process;

    private Nginx(int port, Path prefix, Process process) {
        this.port = port;
        this.prefix = prefix;
        this.process = process;
    }

    static Nginx cache(int originPort) throws Exception {
        String nginx = Tools.require("nginx");
        Path prefix = Files.createTempDirectory("openlive-nginx");
        Files.createDirectories(prefix.resolve("logs"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String p = prefix.toString();
        String conf = (System.getProperty("user.name").equals("root") ? "user root;\n" : "") + """
                daemon off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log warn;
                events { worker_connections 1024; }
                http {
                    access_log %1$s/logs/access.log;
                    client_body_temp_path %1$s/client_body;
                    proxy_temp_path %1$s/proxy_temp;
                    fastcgi_temp_path %1$s/fastcgi_temp;
                    uwsgi_temp_path %1$s/uwsgi_temp;
                    scgi_temp_path %1$s/scgi_temp;
                    proxy_cache_path %1$s/cache levels=1:2 keys_zone=hls:10m max_size=256m inactive=2m use_temp_path=off;
                    server {
                        listen 127.0.0.1:%2$d;
                        location /live/ {
                            proxy_pass http://127.0.0.1:%3$d;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                            proxy_cache hls;
                            proxy_cache_lock on;
                            proxy_cache_lock_timeout 10s;
                            proxy_read_timeout 15s;
                            add_header X-Cache-Status $upstream_cache_status;
                        }
                    }
                }
                """.formatted(p, port, originPort);
        Path confFile = prefix.resolve("nginx.conf");
        Files.writeString(confFile, conf);
        Process process = new ProcessBuilder(nginx, "-p", p, "-e", p + "/logs/error.log", "-c", confFile.toString())
                .redirectErrorStream(true).redirectOutput(prefix.resolve("logs/stdout.log").toFile()).start();
        Nginx n = new Nginx(port, prefix, process);
        int listen = port;
        Eventually.await("nginx listening", Duration.ofSeconds(10), () -> {
            if (!process.isAlive()) {
                throw new AssertionError("nginx exited: " + read(prefix.resolve("logs/error.log")));
            }
            try (Socket s = new Socket("127.0.0.1", listen)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        return n;
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        try (var files = Files.walk(prefix)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
