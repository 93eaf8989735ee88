package io.openlive.server.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlive.engine.platform.HostApps;
import io.openlive.engine.platform.Principal;
import io.openlive.engine.platform.Role;
import io.openlive.server.OpenliveServer;
import io.openlive.server.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Assumptions;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two openlive processes on loopback sharing one data store and the real Redis at 127.0.0.1:6379: node A in this JVM,
 * node B a separate {@code openlive serve} process. Messages cross nodes in order, presence adds up across them, and a
 * node killed with SIGKILL drops out of presence within seconds.
 */
class TwoNodeRedisTest {
    static final String REDIS = "redis://127.0.0.1:6379";
    static final Principal ADMIN = new Principal("test", Role.ADMIN, null);
    OpenliveServer a;
    NodeProcess b;
    HostApps.WithSecret shop;
    HostApps.WithSecret pay;
    String room;

    static void requireRedis() {
        try (Socket s = new Socket("127.0.0.1", 6379)) {
            s.getOutputStream();
        } catch (Exception e) {
            String message = "Redis is not reachable at 127.0.0.1:6379 (Debian: apt-get install redis-server)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(message);
            }
            Assumptions.abort(message);
        }
    }

    @BeforeEach
    void start() throws Exception {
        requireRedis();
        Path dir = Files.createTempDirectory("openlive-two-nodes");
        a = OpenliveServer.start(ServerConfig.ephemeral(dir).withRedis(REDIS)).await();
        b = NodeProcess.start(dir, REDIS);
        shop = a.platform().apps().create(ADMIN, "Shop", "direct", List.of(), false);
        pay = a.platform().apps().create(ADMIN, "Pay", "direct", List.of(), false);
        room = a.platform().rooms().create(ADMIN, "Two nodes", null, List.of(shop.app().id(), pay.app().id())).id();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (b != null) {
            b.kill();
        }
        if (a != null) {
            a.close();
        }
    }

    RtClient join(int httpPort, HostApps.WithSecret app, String user, long since) throws Exception {
        RtClient c = RtClient.connect(RtClient.url(httpPort, room, app.app().id(), Tokens.viewer(app.secret(), user, user), since));
        c.awaitMsg("system", d -> d.path("type").asText().equals("welcome"), 5000);
        return c;
    }

    @Test
    void commentsCrossNodesInOrderAndRecoveryWorksFromTheOtherNode() throws Exception {
        try (RtClient onA = join(a.httpPort(), shop, "alice", 0); RtClient onB = join(b.httpPort, pay, "bob", 0)) {
            onB.sub("comment");
            onB.call("room.info", Map.of()); // answered after the sub before it: bob now listens to comments
            List<Long> sent = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                sent.add(onA.call("comment.send", Map.of("text", "from a " + i)).path("result").path("seq").asLong());
                Thread.sleep(1100); // one comment per second per viewer
            }
            List<Long> received = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                JsonNode m = onB.awaitMsg("comment", d -> d.path("text").asText().startsWith("from a"), 5000);
                received.add(m.path("seq").asLong());
            }
            assertThat(received).isEqualTo(sent).isSorted();
            try (RtClient late = join(b.httpPort, shop, "carol", sent.get(1))) {
                List<Long> recovered = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    recovered.add(late.awaitMsg("comment", d -> true, 5000).path("seq").asLong());
                }
                assertThat(recovered).isEqualTo(sent.subList(2, 5));
            }
        }
    }

    @Test
    void presenceAddsUpAcrossNodesAndADeadNodeDropsOut() throws Exception {
        try (RtClient onA = join(a.httpPort(), shop, "alice", 0); RtClient onB1 = join(b.httpPort, pay, "bob", 0); RtClient onB2 = join(b.httpPort, shop, "dave", 0)) {
            onA.sub("presence", "like");
            JsonNode p = onA.awaitMsg("presence", d -> d.path("total").asInt() == 3, 6000);
            assertThat(p.path("data").path("apps").path(shop.app().id()).asInt()).isEqualTo(2);
            assertThat(p.path("data").path("apps").path(pay.app().id()).asInt()).isEqualTo(1);
            onB1.call("like.send", Map.of("count", 7));
            onA.call("like.send", Map.of("count", 5));
            onA.awaitMsg("like", d -> d.path("total").asLong() == 12, 5000);
            long killed = System.currentTimeMillis();
            b.kill(); // SIGKILL: the node dies without a word, with its viewers
            b = null;
            onA.awaitMsg("presence", d -> d.path("total").asInt() == 1, 8000);
            assertThat(System.currentTimeMillis() - killed).as("dropped out within seconds").isLessThan(8000);
        }
    }

    /** {@code openlive serve} in its own JVM, on the test class path, sharing the data directory and Redis. */
    static final class NodeProcess {
        final Process process;
        final int httpPort;

        private NodeProcess(Process process, int httpPort) {
            this.process = process;
            this.httpPort = httpPort;
        }

        /**
         * Starts the node on a port of its own choosing and waits for its banner: the port it prints is the one it bound,
         * and the banner comes only once the node has opened the shared store and is serving.
         */
        static NodeProcess start(Path dataDir, String redis) throws Exception {
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Path log = Files.createTempFile("openlive-node-b", ".log");
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath,
                    "io.openlive.server.cli.OpenliveCommand", "serve", "--data-dir", dataDir.toString(), "--host", "127.0.0.1",
                    "--http-port", "0", "--rtmp-port", "0", "--component-port", "0", "--no-demo", "--redis-url", redis, "--log-level", "warn",
                    "--max-connections-per-address", "0", "--rt-anonymous-per-second", "0")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Pattern metrics = Pattern.compile("metrics\\s+http://127\\.0\\.0\\.1:(\\d+)/metrics");
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline && p.isAlive()) {
                String printed = Files.readString(log);
                Matcher m = metrics.matcher(printed);
                if (printed.contains("demo room") && m.find()) {
                    return new NodeProcess(p, Integer.parseInt(m.group(1)));
                }
                Thread.sleep(100);
            }
            p.destroyForcibly().waitFor();
            throw new AssertionError("node B did not start: " + Files.readString(log));
        }

        void kill() throws InterruptedException {
            process.destroyForcibly().waitFor();
        }
    }
}
