package io.openlive.server.attack;

import io.openlive.server.ServerFixture;
import io.openlive.server.internal.LogText;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Finding: the RTMP play name, the {@code /rt} room parameter and the token's unverified app claim were logged raw, so a
 * client could forge log lines with CR/LF. Client-named values now pass through {@link LogText} before they reach a log
 * line or a refusal that is logged; the unverified app claim is not logged at all (tokens are verified before claims
 * are read).
 */
class LogInjectionTest {
    @Test
    void controlAndBidiCharactersAreReplacedAndLongTextCut() {
        assertThat(LogText.of("r1\r\n[rt 1.2.3.4] joined as admin")).isEqualTo("r1??[rt 1.2.3.4] joined as admin");
        assertThat(LogText.of("a\u202Eb\u0000c")).isEqualTo("a?b?c");
        assertThat(LogText.of("x".repeat(500))).hasSize(LogText.MAX_CHARS + 1).endsWith("…");
    }

    @Test
    void aRoomParameterWithLineBreaksIsRefusedWithoutThem() throws Exception {
        try (ServerFixture node = ServerFixture.start();
             RawWebSocket ws = RawWebSocket.open(node.server.httpPort(), "/rt?room=r1%0d%0aFORGED&app=app_x", null)) {
            String refusal = ws.readText();
            assertThat(refusal).contains("room_not_found").contains("r1??FORGED").doesNotContain("\\r").doesNotContain("\\n");
        }
    }
}
