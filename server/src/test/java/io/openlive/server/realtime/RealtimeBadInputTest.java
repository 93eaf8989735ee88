package io.openlive.server.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlive.engine.platform.HostApps;
import io.openlive.engine.platform.Principal;
import io.openlive.engine.platform.Role;
import io.openlive.server.OpenliveServer;
import io.openlive.server.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile clients of the realtime channel: bad frames get an error and the connection stays, floods and binary frames
 * are closed, a client that never reads is dropped, and through all of it the node keeps serving everyone else.
 */
class RealtimeBadInputTest {
    static final Principal ADMIN = new Principal("test", Role.ADMIN, null);
    static OpenliveServer server;
    static HostApps.WithSecret app;
    static String room;

    @BeforeAll
    static void start() throws Exception {
        server = OpenliveServer.start(ServerConfig.ephemeral(Files.createTempDirectory("openlive-rt"))
                .withRealtime(RealtimeConfig.defaults().withStuckMillis(1500))).await();
        app = server.platform().apps().create(ADMIN, "Shop", "direct", List.of(), false);
        room = server.platform().rooms().create(ADMIN, "Room", null, List.of(app.app().id())).id();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static RtClient join(String user) throws Exception {
        RtClient c = RtClient.connect(RtClient.url(server.httpPort(), room, app.app().id(), Tokens.viewer(app.secret(), user, user), 0));
        c.awaitMsg("system", d -> d.path("type").asText().equals("welcome"), 5000);
        return c;
    }

    private static String errorAfter(RtClient c, String frame) throws Exception {
        c.sendText(frame);
        return c.await(e -> e.path("op").asText().equals("error"), 5000).path("error").path("code").asText();
    }

    @Test
    void badFramesGetAnErrorAndTheConnectionStays() throws Exception {
        try (RtClient c = join("careless")) {
            assertThat(errorAfter(c, "hello")).isEqualTo("bad_json");
            assertThat(errorAfter(c, "[1,2,3]")).isEqualTo("bad_envelope");
            assertThat(errorAfter(c, "{\"op\":\"teleport\"}")).isEqualTo("unknown_op");
            assertThat(errorAfter(c, "{\"op\":\"call\",\"method\":\"room.info\"}")).isEqualTo("bad_envelope");
            assertThat(errorAfter(c, "{\"op\":\"call\",\"id\":-4,\"method\":\"room.info\"}")).isEqualTo("bad_envelope");
            assertThat(errorAfter(c, "{\"op\":\"call\",\"id\":1,\"method\":\"room.info\",\"params\":[1]}")).isEqualTo("bad_params");
            assertThat(errorAfter(c, "{\"op\":\"sub\",\"topics\":\"comment\"}")).isEqualTo("bad_envelope");
            assertThat(errorAfter(c, "{\"op\":\"call\",\"id\":2,\"method\":\"comment.send\",\"params\":{\"text\":\"" + "x".repeat(20_000) + "\"}}"))
                    .isEqualTo("too_large");
            assertThat(errorAfter(c, "[".repeat(5000))).isEqualTo("bad_json");
            assertThat(c.call("room.info", Map.of()).path("op").asText()).isEqualTo("result");
        }
    }

    @Test
    void binaryFramesAndFloodsAreClosedAndOthersKeepBeingServed() throws Exception {
        try (RtClient bystander = join("bystander")) {
            try (RtClient binary = join("binary")) {
                binary.sendBinary(new byte[]{1, 2, 3});
                assertThat(binary.awaitClose()).isEqualTo(1008);
            }
            try (RtClient flood = join("flood")) {
                for (int i = 1; i <= 10_000 && !flood.closed.isDone(); i++) {
                    try {
                        flood.sendText("{\"op\":\"call\",\"id\":" + i + ",\"method\":\"room.info\"}");
                    } catch (java.util.concurrent.CompletionException closedMeanwhile) {
                        break; // the server closed the flood before it was all sent: what this test wants to see
                    }
                }
                assertThat(flood.awaitClose()).isEqualTo(1008);
                assertThat(flood.closeReason).startsWith("flooding");
                long answered = flood.received().stream().filter(e -> e.path("op").asText().equals("result")).count();
                long limited = flood.received().stream().filter(e -> e.path("error").path("code").asText().equals("rate_limited")).count();
                assertThat(answered).as("the burst allowance and what refilled while the burst was sent").isBetween(30L, 400L);
                assertThat(limited).as("refusals the client read before the close").isGreaterThan(100);
            }
            JsonNode info = bystander.call("room.info", Map.of());
            assertThat(info.path("op").asText()).isEqualTo("result");
        }
    }

    @Test
    void aClientThatNeverReadsIsDroppedWhileOthersGetEverything() throws Exception {
        // a raw WebSocket client that completes the handshake, subscribes, and then never reads
        try (Socket raw = new Socket("127.0.0.1", server.httpPort()); RtClient reader = join("reader")) {
            raw.setReceiveBufferSize(4096);
            OutputStream out = raw.getOutputStream();
            String token = Tokens.viewer(app.secret(), "sleeper", "sleeper");
            out.write(("GET /rt?room=" + room + "&app=" + app.app().id() + "&token=" + token + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(maskedText("{\"op\":\"sub\",\"topics\":[\"comment\",\"gift\"]}"));
            out.flush();
            InputStream in = raw.getInputStream();
            byte[] head = new byte[12];
            assertThat(in.read(head)).isPositive(); // the 101 started; from here on, nothing is read
            reader.sub("gift");
            long joined = System.currentTimeMillis() + 5000;
            while (server.realtime().connections() < 2 && System.currentTimeMillis() < joined) {
                Thread.sleep(20);
            }
            int before = server.realtime().connections();
            assertThat(before).as("reader and sleeper joined").isGreaterThanOrEqualTo(2);
            String big = "y".repeat(3000);
            for (int i = 0; i < 3000 && server.realtime().connections() == before; i++) {
                server.realtime().publish(room, "gift", RtClient.JSON.createObjectNode().put("gift", "rose").put("note", big));
                if (i % 100 == 0) {
                    Thread.sleep(50);
                }
            }
            long deadline = System.currentTimeMillis() + 15_000;
            while (server.realtime().connections() == before && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertThat(server.realtime().connections()).as("the sleeper was dropped").isEqualTo(before - 1);
            assertThat(reader.call("room.info", Map.of()).path("op").asText()).isEqualTo("result");
            long gifts = reader.received().stream().filter(e -> e.path("topic").asText().equals("gift")).count();
            assertThat(gifts).as("the reading viewer got the gifts").isGreaterThan(500);
        }
    }

    /** A client frame per RFC 6455 section 5.3: FIN, text, masked. */
    static byte[] maskedText(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] mask = {1, 2, 3, 4};
        byte[] frame = new byte[2 + 4 + payload.length];
        frame[0] = (byte) 0x81;
        frame[1] = (byte) (0x80 | payload.length);
        System.arraycopy(mask, 0, frame, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        return frame;
    }
}
