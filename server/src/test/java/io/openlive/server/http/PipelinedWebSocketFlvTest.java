package io.openlive.server.http;

import io.openlive.engine.room.Room;
import io.openlive.server.ServerFixture;
import io.openlive.server.attack.RawWebSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A WS-FLV viewer that sends a frame in the same write as its upgrade request (RFC 6455 4.1 allows it: frames may follow
 * the handshake at once) is served like one that waits for the 101: the frame is read as a WebSocket frame, not as a
 * second HTTP request, and the socket stays a WebSocket. So the room is looked up after the upgrade: an unknown one is
 * a close with 4404, as on {@code /rt}.
 */
class PipelinedWebSocketFlvTest {
    static ServerFixture node;

    @BeforeAll
    static void start() throws Exception {
        node = ServerFixture.start();
    }

    @AfterAll
    static void stop() throws Exception {
        node.close();
    }

    @Test
    void aPingInTheSameWriteAsTheUpgradeIsAnswered() throws Exception {
        Room room = node.newRoom("pipelined"); // not live: the viewer waits, and its socket must still work
        byte[] ping = RawWebSocket.masked(true, 0, 9, "early".getBytes(StandardCharsets.UTF_8));
        try (RawWebSocket ws = RawWebSocket.open(node.server.httpPort(), "/live/" + room.id() + ".flv", null, ping)) {
            assertThat(ws.responseHead).startsWith("HTTP/1.1 101");
            RawWebSocket.Frame f = ws.readFrame();
            assertThat(f.opcode()).as("pong").isEqualTo(10);
            assertThat(new String(f.payload(), StandardCharsets.UTF_8)).isEqualTo("early");
        }
    }

    @Test
    void aTextFrameInTheSameWriteAsTheUpgradeKeepsTheSocketOpen() throws Exception {
        Room room = node.newRoom("pipelined text");
        byte[] bytes = RawWebSocket.concat(RawWebSocket.masked(true, 0, 1, "hello".getBytes(StandardCharsets.UTF_8)),
                RawWebSocket.masked(true, 0, 9, "after".getBytes(StandardCharsets.UTF_8)));
        try (RawWebSocket ws = RawWebSocket.open(node.server.httpPort(), "/live/" + room.id() + ".flv", null, bytes)) {
            assertThat(ws.responseHead).startsWith("HTTP/1.1 101");
            RawWebSocket.Frame f = ws.readFrame();
            assertThat(f.opcode()).as("the text is dropped, the ping behind it answered").isEqualTo(10);
            assertThat(new String(f.payload(), StandardCharsets.UTF_8)).isEqualTo("after");
        }
    }

    @Test
    void anUnknownRoomClosesTheUpgradedSocketWith4404() throws Exception {
        byte[] ping = RawWebSocket.masked(true, 0, 9, "early".getBytes(StandardCharsets.UTF_8));
        try (RawWebSocket ws = RawWebSocket.open(node.server.httpPort(), "/live/rnosuchroom.flv", null, ping)) {
            assertThat(ws.responseHead).startsWith("HTTP/1.1 101");
            assertThat(ws.closeCode(Duration.ofSeconds(5))).isEqualTo(4404);
        }
    }
}
