package io.openlive.server;

import io.openlive.server.restream.RestreamConfig;
import io.openlive.server.rtmp.RtmpLimits;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerConfigTest {
    /** Each with* changes its own setting and keeps the others: withEventLoops once dropped the restream trust file. */
    @Test
    void withersKeepTheOtherSettings() {
        RtmpLimits open = RtmpLimits.defaults().withMaxPendingPerAddress(0);
        RestreamConfig trust = new RestreamConfig(Path.of("ca.pem"));
        ServerConfig c = ServerConfig.ephemeral(Path.of("data")).withRtmpLimits(open).withRestream(trust)
                .withEventLoops(3).withViewerNoDelay(false).withOrderTtl(java.time.Duration.ofMinutes(2));
        assertThat(c.eventLoops()).isEqualTo(3);
        assertThat(c.restream()).isEqualTo(trust);
        assertThat(c.rtmpLimits()).isEqualTo(open);
    }

    @Test
    void aBuilderFromASettingKeepsEveryOtherSetting() {
        ServerConfig base = ServerConfig.ephemeral(Path.of("data")).withRedis("redis://127.0.0.1:6379").withEventLoops(3);
        assertThat(base.toBuilder().build()).isEqualTo(base);
        ServerConfig moved = base.toBuilder().rtmpPort(1936).build();
        assertThat(moved.rtmpPort()).isEqualTo(1936);
        assertThat(moved.toBuilder().rtmpPort(base.rtmpPort()).build()).isEqualTo(base);
        assertThat(ServerConfig.builder().build()).isEqualTo(ServerConfig.defaults());
    }

    @Test
    void rtmpLimitsRefuseANegativeCap() {
        assertThat(ServerConfig.defaults().rtmpLimits()).isEqualTo(RtmpLimits.defaults());
        assertThatThrownBy(() -> RtmpLimits.defaults().withMaxPendingPerAddress(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 (no limit) or positive, not -1");
    }
}
