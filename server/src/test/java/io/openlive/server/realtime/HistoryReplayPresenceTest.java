package io.openlive.server.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.openlive.engine.realtime.Priority;
import io.openlive.engine.realtime.Recovery;
import io.openlive.engine.realtime.RoomMessage;
import io.openlive.protocol.realtime.Envelopes;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Presence that reaches a recovering viewer with its replay is cut to the viewer's own app for anonymous viewers, as
 * live batches cut it (TenancyTest): a replay sent an anonymous viewer of one host app every other app's count.
 */
class HistoryReplayPresenceTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anAnonymousViewersReplaySeesOnlyItsOwnAppInPresence() throws Exception {
        Vertx vertx = Vertx.vertx();
        EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
        try {
            RealtimeConnection c = new RealtimeConnection("c1", Viewer.anonymous("c1"), "pay", channel.pipeline().firstContext(),
                    vertx.getOrCreateContext(), reason -> { }, RealtimeConfig.defaults(), System.nanoTime());
            c.subscribe(List.of("presence"));
            JsonNode counts = JSON.createObjectNode().put("total", 3)
                    .set("apps", JSON.createObjectNode().put("shop", 2).put("pay", 1));
            RoomMessage presence = new RoomMessage("r1", "presence", 0, Priority.EPHEMERAL, System.currentTimeMillis(),
                    Envelopes.msg("presence", 0, counts));

            HistoryReplay.send(c, RoomAccess.Topics.of(List.of()), 0, new Recovery(List.of(), false, 0), List.of(presence));

            ByteBuf frame = channel.readOutbound();
            assertThat(frame).as("the replay's page").isNotNull();
            String text;
            try {
                int header = (frame.getByte(1) & 0x7f) == 126 ? 4 : (frame.getByte(1) & 0x7f) == 127 ? 10 : 2;
                text = frame.toString(header, frame.readableBytes() - header, StandardCharsets.UTF_8);
            } finally {
                frame.release();
            }
            JsonNode data = JSON.readTree(text).get(0).path("data");
            assertThat(data.path("total").asInt()).isEqualTo(3);
            assertThat(data.path("apps").has("shop")).as("another app's count").isFalse();
            assertThat(data.path("apps").path("pay").asInt()).isEqualTo(1);
        } finally {
            channel.finishAndReleaseAll();
            vertx.close().await();
        }
    }
}
