package io.openlive.server.realtime;

import io.openlive.engine.platform.HostApps;
import io.openlive.engine.platform.Principal;
import io.openlive.engine.platform.Role;
import io.openlive.server.Eventually;
import io.openlive.server.ServerFixture;
import io.openlive.server.attack.RawWebSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.management.ObjectName;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An upgraded {@code /rt} socket is served by {@link RealtimeSocket}, a plain Netty handler, not Vert.x's WebSocket: no
 * Vert.x WebSocket, request or connection object stays reachable for a joined viewer (they were 19 KiB of live heap per
 * idle viewer), and the protocol's control frames still work — pings are answered, the close handshake is made from
 * either side, and a call or a ping sent in the same write as the upgrade request is answered.
 */
class RealtimeSocketTest {
    static ServerFixture node;
    static HostApps.WithSecret shop;
    static String room;

    @BeforeAll
    static void start() throws Exception {
        node = ServerFixture.start();
        Principal admin = new Principal("test", Role.ADMIN, null);
        shop = node.server.platform().apps().create(admin, "Shop", "direct", List.of(), false);
        room = node.server.platform().rooms().create(admin, "Room", null, List.of(shop.app().id())).id();
    }

    @AfterAll
    static void stop() throws Exception {
        node.close();
    }

    static String path(String user) {
        return "/rt?room=" + room + "&app=" + shop.app().id() + "&token=" + Tokens.viewer(shop.secret(), user, user);
    }

    static RawWebSocket joined(String user) throws IOException {
        RawWebSocket ws = RawWebSocket.open(node.server.httpPort(), path(user), null);
        assertThat(ws.responseHead).startsWith("HTTP/1.1 101");
        assertThat(ws.readText()).contains("\"welcome\"");
        return ws;
    }

    @Test
    void joinedViewersKeepNoVertxWebSocketObjects() throws Exception {
        int viewers = 200;
        List<RawWebSocket> open = new ArrayList<>();
        try {
            for (int i = 0; i < viewers; i++) {
                open.add(joined("heap-" + i));
            }
            String histogram = liveClassHistogram();
            assertThat(instances(histogram, "io.openlive.server.realtime.RealtimeSocket")).isGreaterThanOrEqualTo(viewers);
            // Vert.x's per-socket objects: one each per viewer before (the upgrade's request and headers, the WebSocket,
            // its connection and their two message queues)
            assertThat(instances(histogram, "io.vertx.core.http.impl.ServerWebSocketImpl")).isLessThan(viewers / 10);
            assertThat(instances(histogram, "io.vertx.core.http.impl.Http1xServerRequest")).isLessThan(viewers / 10);
            assertThat(instances(histogram, "io.vertx.core.http.impl.Http1xServerConnection")).isLessThan(viewers / 10);
        } finally {
            for (RawWebSocket ws : open) {
                ws.close();
            }
        }
        Eventually.await("every viewer gone", Duration.ofSeconds(10), () -> node.server.realtime().connections() == 0);
    }

    @Test
    void pingIsAnsweredWithItsPayload() throws Exception {
        try (RawWebSocket ws = joined("pinger")) {
            ws.frame(true, 0, 9, "are you there".getBytes(StandardCharsets.UTF_8));
            RawWebSocket.Frame f = nextNonText(ws);
            assertThat(f.opcode()).as("pong").isEqualTo(10);
            assertThat(new String(f.payload(), StandardCharsets.UTF_8)).isEqualTo("are you there");
        }
    }

    @Test
    void aClientCloseIsAnsweredAndTheViewerLeaves() throws Exception {
        try (RawWebSocket ws = joined("leaver")) {
            Eventually.await("joined", Duration.ofSeconds(5), () -> node.server.realtime().connections() >= 1);
            int before = node.server.realtime().connections();
            ws.frame(true, 0, 8, new byte[]{0x03, (byte) 0xe8}); // 1000, normal closure
            assertThat(ws.closeCode(Duration.ofSeconds(5))).as("the server's answer echoes the code").isEqualTo(1000);
            assertThat(ws.closeCode(Duration.ofSeconds(5))).as("then the server ends the connection").isEqualTo(-1);
            Eventually.await("the viewer left", Duration.ofSeconds(5), () -> node.server.realtime().connections() == before - 1);
        }
    }

    @Test
    void aCallSentBeforeTheWelcomeIsAnswered() throws Exception {
        // the join (token, delivery, room) is looked up after the upgrade; a client may call as soon as it sees the 101
        try (RawWebSocket ws = RawWebSocket.open(node.server.httpPort(), path("eager"), null)) {
            assertThat(ws.responseHead).startsWith("HTTP/1.1 101");
            ws.text("{\"op\":\"call\",\"id\":7,\"method\":\"room.info\",\"params\":{}}");
            List<String> texts = ws.texts(Duration.ofSeconds(2), Duration.ofSeconds(10));
            assertThat(texts).as("welcome first, then the answer").hasSizeGreaterThanOrEqualTo(2);
            assertThat(texts.get(0)).contains("\"welcome\"");
            assertThat(texts).anySatisfy(t -> assertThat(t).contains("\"id\":7").contains("\"op\":\"result\"").contains(room));
        }
    }

    @Test
    void aCallInTheSameWriteAsTheUpgradeIsAnswered() throws Exception {
        // RFC 6455 4.1: a client may send frames right behind its handshake, before it has read the 101; they arrive while
        // Vert.x upgrades, before our handler takes the socket over and before the join is looked up
        byte[] call = RawWebSocket.masked(true, 0, 1,
                "{\"op\":\"call\",\"id\":7,\"method\":\"room.info\",\"params\":{}}".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 20; i++) {
            try (RawWebSocket ws = RawWebSocket.open(node.server.httpPort(), path("pipelining-" + i), null, call)) {
                assertThat(ws.responseHead).startsWith("HTTP/1.1 101");
                assertThat(ws.readText()).as("attempt %d: welcome first", i).contains("\"welcome\"");
                assertThat(answerTo(ws, 7)).as("attempt %d", i).contains("\"op\":\"result\"").contains(room);
            }
        }
    }

    @Test
    void aPingInTheSameWriteAsTheUpgradeIsAnswered() throws Exception {
        byte[] ping = RawWebSocket.masked(true, 0, 9, "early".getBytes(StandardCharsets.UTF_8));
        try (RawWebSocket ws = RawWebSocket.open(node.server.httpPort(), path("early-pinger"), null, ping)) {
            assertThat(ws.responseHead).startsWith("HTTP/1.1 101");
            RawWebSocket.Frame f = nextNonText(ws);
            assertThat(f.opcode()).as("pong").isEqualTo(10);
            assertThat(new String(f.payload(), StandardCharsets.UTF_8)).isEqualTo("early");
        }
    }

    /** The next text carrying {@code "id":id}, past presence and other room messages; a lost call times out. */
    private static String answerTo(RawWebSocket ws, int id) throws IOException {
        for (int i = 0; i < 50; i++) {
            String text = ws.readText();
            if (text.contains("\"id\":" + id + ",") || text.contains("\"id\":" + id + "}")) {
                return text;
            }
        }
        throw new AssertionError("no answer to call " + id + " among 50 messages");
    }

    private static RawWebSocket.Frame nextNonText(RawWebSocket ws) throws IOException {
        for (int i = 0; i < 20; i++) {
            RawWebSocket.Frame f = ws.readFrame();
            if (f.opcode() != 1) {
                return f;
            }
        }
        throw new AssertionError("only text frames came");
    }

    /** This JVM's live objects by class ({@code jcmd GC.class_histogram}, which collects first), server and test alike. */
    private static String liveClassHistogram() throws Exception {
        return (String) ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                "gcClassHistogram", new Object[]{new String[0]}, new String[]{String[].class.getName()});
    }

    private static long instances(String histogram, String className) {
        return histogram.lines().map(String::trim).map(l -> l.split("\\s+"))
                .filter(cols -> cols.length >= 4 && cols[3].equals(className))
                .mapToLong(cols -> Long.parseLong(cols[1])).sum();
    }
}
