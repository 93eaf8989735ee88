package io.openlive.server.realtime;

import io.openlive.server.Tools;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A redis-server of the test's own on a free loopback port, without persistence, that the test may stop and start again
 * (the shared one on 6379 is never restarted). Usage: {@code try (OwnRedis r = OwnRedis.start()) { … r.restart(); }}
 */
final class OwnRedis implements AutoCloseable {
    private final String binary;
    private final int port;
    private final Path log;
    private Process process;

    private OwnRedis(String binary, int port, Path log) {
        this.binary = binary;
        this.port = port;
        this.log = log;
    }

    static OwnRedis start() throws Exception {
        String binary = Tools.require("redis-server");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        OwnRedis r = new OwnRedis(binary, port, Files.createTempFile("openlive-redis", ".log"));
        r.launch();
        return r;
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    /** Kills the server (as a crash would: no goodbye to clients) and starts a fresh, empty one on the same port. */
    void restart() throws Exception {
        process.destroyForcibly().waitFor();
        launch();
    }

    /** Kills the server; {@link #launch()} starts it again on the same port. */
    void stop() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** One command over RESP, for the test's own checks; returns the reply's text. */
    String command(String... args) throws Exception {
        StringBuilder req = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            req.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.UTF_8));
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            String first = in.readLine();
            if (first.startsWith("$")) {
                int length = Integer.parseInt(first.substring(1));
                char[] body = new char[Math.max(0, length)];
                int read = 0;
                while (read < length) {
                    read += in.read(body, read, length - read);
                }
                return new String(body);
            }
            return first;
        }
    }

    void launch() throws Exception {
        process = new ProcessBuilder(List.of(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                if (command("PING").equals("+PONG")) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("redis-server did not start on port " + port + ": " + Files.readString(log));
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor();
        }
    }
}
