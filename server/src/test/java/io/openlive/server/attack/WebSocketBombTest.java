package io.openlive.server.attack;

import io.openlive.engine.platform.HostApps;
import io.openlive.engine.platform.Principal;
import io.openlive.engine.platform.Role;
import io.openlive.server.ServerFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Findings: {@code permessage-deflate} was negotiated on {@code /rt} and {@code /live/*.flv}, so a 58 KB frame inflated
 * to 60 MB before the message limit applied; a message over the limit was dropped silently with the socket left open;
 * a frame with RSV1 set was accepted though no extension was negotiated. Now no compression is offered, RSV1 is a
 * protocol error, and an oversized message closes the socket with 1009.
 */
class WebSocketBombTest {
    static ServerFixture node;
    static String app;
    static String room;

    @BeforeAll
    static void start() throws Exception {
        node = ServerFixture.start();
        Principal admin = new Principal("test", Role.ADMIN, null);
        HostApps.WithSecret shop = node.server.platform().apps().create(admin, "Shop", "direct", List.of(), false);
        app = shop.app().id();
        room = node.server.platform().rooms().create(admin, "Room", null, List.of(app)).id();
    }

    @AfterAll
    static void stop() throws Exception {
        node.close();
    }

    private RawWebSocket joined() throws Exception {
        RawWebSocket ws = RawWebSocket.open(node.server.httpPort(), "/rt?room=" + room + "&app=" + app, null);
        assertThat(ws.responseHead).startsWith("HTTP/1.1 101");
        assertThat(ws.readText()).contains("welcome");
        return ws;
    }

    @Test
    void compressionIsNotNegotiatedOnAnyWebSocket() throws Exception {
        for (String path : List.of("/rt?room=" + room + "&app=" + app, "/live/" + room + ".flv")) {
            try (RawWebSocket ws = RawWebSocket.open(node.server.httpPort(), path,
                    "permessage-deflate; client_max_window_bits, x-webkit-deflate-frame")) {
                assertThat(ws.responseHead).as(path).startsWith("HTTP/1.1 101");
                assertThat(ws.responseHead.toLowerCase(Locale.ROOT)).as(path).doesNotContain("sec-websocket-extensions");
            }
        }
    }

    @Test
    void rsv1WithoutAnExtensionIsAProtocolError() throws Exception {
        try (RawWebSocket ws = joined()) {
            // a deflate-compressed {"op":"sub"} as a client that assumed compression would send it
            ws.frame(true, 4, 1, new byte[]{(byte) 0xaa, 0x56, (byte) 0xca, 0x2f, 0x50, (byte) 0xb2, 0x52, 0x2a, 0x2e, 0x4d, 0x52, (byte) 0xaa, 0x05, 0x00});
            assertThat(ws.closeCode(Duration.ofSeconds(5))).as("close code").isIn(1002, -1);
        }
    }

    @Test
    void oversizedMessageClosesWith1009() throws Exception {
        try (RawWebSocket ws = joined()) {
            byte[] part = new byte[60 * 1024];
            java.util.Arrays.fill(part, (byte) ' ');
            ws.frame(false, 0, 1, part);
            for (int i = 0; i < 4; i++) {
                ws.frame(i == 3, 0, 0, part);
            }
            assertThat(ws.closeCode(Duration.ofSeconds(5))).as("close code").isEqualTo(1009);
        }
    }

    @Test
    void oversizedFrameClosesTheSocket() throws Exception {
        try (RawWebSocket ws = joined()) {
            ws.frame(true, 0, 1, new byte[70 * 1024]);
            assertThat(ws.closeCode(Duration.ofSeconds(5))).as("close code").isIn(1009, -1);
        }
    }
}
