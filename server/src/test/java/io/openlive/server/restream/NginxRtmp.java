package io.openlive.server.restream;

import com.sun.net.httpserver.HttpServer;
import io.openlive.server.Eventually;
import io.openlive.server.Tools;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real nginx with the RTMP module (Debian's libnginx-mod-rtmp) as an outside ingest: application {@code live} on its
 * own port and prefix, whose on_publish and on_publish_done callbacks reach a small HTTP receiver here, so a test sees
 * each publish start and end as nginx saw it. {@link #stop()} and {@link #start()} restart it on the same port. Given a
 * certificate, nginx's stream module (libnginx-mod-stream) also terminates TLS on {@link #tlsPort} and proxies to the
 * RTMP port: an RTMPS ingest, as the large platforms run theirs.
 */
final class NginxRtmp implements AutoCloseable {
    static final String MODULE = "/usr/lib/nginx/modules/ngx_rtmp_module.so";
    static final String STREAM_MODULE = "/usr/lib/nginx/modules/ngx_stream_module.so";
    final int port;
    /** The RTMPS port (TLS in front of {@link #port}); 0 without a certificate. */
    final int tlsPort;
    final Path prefix;
    /** "publish name=…" and "publish_done name=…", in the order nginx called back. */
    final List<String> callbacks = new CopyOnWriteArrayList<>();
    private final HttpServer receiver;
    private Process process;

    NginxRtmp() throws Exception {
        this(null);
    }

    /** With {@code tls} (null: none), also RTMPS on {@link #tlsPort} with that certificate. */
    NginxRtmp(SelfSignedCertificate tls) throws Exception {
        if (!Files.exists(Path.of(MODULE))) {
            Tools.require("nginx-rtmp-module"); // fails under CI, skips otherwise
        }
        if (tls != null && !Files.exists(Path.of(STREAM_MODULE))) {
            Tools.require("nginx-stream-module");
        }
        Tools.require("nginx");
        prefix = Files.createTempDirectory("openlive-nginx-rtmp");
        Files.createDirectories(prefix.resolve("logs"));
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        if (tls != null) {
            try (ServerSocket s = new ServerSocket(0)) {
                tlsPort = s.getLocalPort();
            }
        } else {
            tlsPort = 0;
        }
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes());
            String call = body.replaceAll(".*(?:^|&)call=([^&]*).*", "$1");
            String name = body.replaceAll(".*(?:^|&)name=([^&]*).*", "$1");
            callbacks.add(call + " name=" + name);
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        String p = prefix.toString();
        String stream = tls == null ? "" : """
                stream {
                    server {
                        listen 127.0.0.1:%d ssl;
                        ssl_certificate %s;
                        ssl_certificate_key %s;
                        proxy_pass 127.0.0.1:%d;
                    }
                }
                """.formatted(tlsPort, tls.cert, tls.key, port);
        String conf = "load_module " + MODULE + ";\n" + (tls == null ? "" : "load_module " + STREAM_MODULE + ";\n")
                + (System.getProperty("user.name").equals("root") ? "user root;\n" : "") + stream + """
                daemon off;
                master_process off;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log info;
                events { worker_connections 256; }
                rtmp {
                    server {
                        listen 127.0.0.1:%2$d;
                        application live {
                            live on;
                            on_publish http://127.0.0.1:%3$d/publish;
                            on_publish_done http://127.0.0.1:%3$d/done;
                        }
                    }
                }
                """.formatted(p, port, receiver.getAddress().getPort());
        Files.writeString(prefix.resolve("nginx.conf"), conf);
        start();
    }

    void start() throws Exception {
        String p = prefix.toString();
        process = new ProcessBuilder(Tools.require("nginx"), "-p", p, "-e", p + "/logs/error.log", "-c", p + "/nginx.conf")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(prefix.resolve("logs/stdout.log").toFile())).start();
        Process started = process;
        Eventually.await("nginx-rtmp listening", Duration.ofSeconds(10), () -> {
            if (!started.isAlive()) {
                throw new AssertionError("nginx exited: " + errorLog());
            }
            try (Socket s = new Socket("127.0.0.1", port); Socket t = tlsPort == 0 ? null : new Socket("127.0.0.1", tlsPort)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    /** Stops nginx abruptly (SIGKILL; one process, no master): the destination "drops" as on a crash. */
    void stop() throws Exception {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        Files.deleteIfExists(prefix.resolve("nginx.pid"));
    }

    /** Freezes (SIGSTOP) or thaws (SIGCONT) nginx: a destination that stops reading without closing. */
    void freeze(boolean frozen) throws Exception {
        new ProcessBuilder("kill", frozen ? "-STOP" : "-CONT", String.valueOf(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
    }

    /** The RTMPS ingest URL of application {@code live}. */
    String rtmpsUrl() {
        return "rtmps://127.0.0.1:" + tlsPort + "/live";
    }

    String playUrl(String key) {
        return "rtmp://127.0.0.1:" + port + "/live/" + key;
    }

    String errorLog() {
        try {
            return Files.exists(prefix.resolve("logs/error.log")) ? Files.readString(prefix.resolve("logs/error.log")) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    /**
     * Whether the last connection that published {@code name} ended its stream (deleteStream) before the connection
     * went: nginx logs deleteStream again on every disconnect, so only the order tells an unpublish from a drop.
     */
    boolean unpublishedCleanly(String name) {
        String conn = null;
        List<String> lines = errorLog().lines().toList();
        int from = -1;
        for (int i = 0; i < lines.size(); i++) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(" (\\*\\d+) publish: name='" + java.util.regex.Pattern.quote(name) + "'")
                    .matcher(lines.get(i));
            if (m.find()) {
                conn = m.group(1);
                from = i;
            }
        }
        for (int i = from + 1; conn != null && i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.contains(" " + conn + " deleteStream")) {
                return true;
            }
            if (l.contains(" " + conn + " disconnect") || l.contains(" " + conn + " recv() failed")) {
                return false;
            }
        }
        return false;
    }

    @Override
    public void close() throws Exception {
        receiver.stop(0);
        if (process != null && process.isAlive()) {
            freeze(false);
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        try (var files = Files.walk(prefix)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
