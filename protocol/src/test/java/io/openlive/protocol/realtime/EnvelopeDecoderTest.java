package io.openlive.protocol.realtime;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvelopeDecoderTest {
    private final EnvelopeDecoder decoder = new EnvelopeDecoder(1024);

    private Envelope decode(String s) throws EnvelopeException {
        return decoder.decode(s.getBytes(StandardCharsets.UTF_8));
    }

    private void refused(String s, String code) {
        assertThatThrownBy(() -> decode(s)).as(s).isInstanceOf(EnvelopeException.class)
                .extracting(e -> ((EnvelopeException) e).code()).isEqualTo(code);
    }

    @Test
    void decodesTheEnvelopesOfDesignMd() throws EnvelopeException {
        Envelope.Call call = (Envelope.Call) decode("{\"id\":7,\"op\":\"call\",\"method\":\"comment.send\",\"params\":{\"text\":\"hi\"}}");
        assertThat(call.id()).isEqualTo(7);
        assertThat(call.method()).isEqualTo("comment.send");
        assertThat(call.params().path("text").asText()).isEqualTo("hi");
        assertThat(((Envelope.Subscribe) decode("{\"op\":\"sub\",\"topics\":[\"comment\",\"like\",\"product.pin\"]}")).topics())
                .containsExactly("comment", "like", "product.pin");
        assertThat(decode("{\"op\":\"ping\"}")).isInstanceOf(Envelope.Ping.class);
        assertThat(((Envelope.Call) decode("{\"id\":1,\"op\":\"call\",\"method\":\"room.info\"}")).params().isObject()).isTrue();
    }

    @Test
    void refusesEverythingElseWithACode() {
        refused("", "bad_json");
        refused("{", "bad_json");
        refused("\"text\"", "bad_envelope");
        refused("{\"op\":\"fly\"}", "unknown_op");
        refused("{\"op\":\"call\",\"id\":1.5,\"method\":\"room.info\"}", "bad_envelope");
        refused("{\"op\":\"call\",\"id\":\"1\",\"method\":\"room.info\"}", "bad_envelope");
        refused("{\"op\":\"call\",\"id\":1,\"method\":\"Room Info\"}", "bad_envelope");
        refused("{\"op\":\"sub\",\"topics\":[\"UPPER\"]}", "bad_envelope");
        refused("{\"op\":\"sub\",\"topics\":[" + "\"a\",".repeat(70) + "\"a\"]}", "bad_envelope");
        refused("{\"op\":\"call\",\"id\":1,\"method\":\"x\",\"params\":\"" + "y".repeat(2000) + "\"}", "too_large");
        refused("[".repeat(100) + "]".repeat(100), "bad_json");
    }

    @Test
    void writesEnvelopesTheClientCanRead() {
        assertThat(Envelopes.error(7, "rate_limited", "slow down")).isEqualTo("{\"id\":7,\"op\":\"error\",\"error\":{\"code\":\"rate_limited\",\"message\":\"slow down\"}}");
        assertThat(Envelopes.msg("comment", 1042, com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("text", "hi")))
                .isEqualTo("{\"op\":\"msg\",\"topic\":\"comment\",\"seq\":1042,\"data\":{\"text\":\"hi\"}}");
    }
}
