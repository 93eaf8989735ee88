package io.openlive.server.attack;

import io.openlive.server.http.MetricsRoute;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Finding: {@code /metrics}, unauthenticated on the public listener, listed every live room id. Now it answers
 * scrapers on the node's own machine, and remote ones only with the token set in {@code OPENLIVE_METRICS_TOKEN}.
 */
class MetricsExposureTest {
    @Test
    void remoteScrapersNeedTheToken() {
        assertThat(MetricsRoute.allowed("127.0.0.1", null, null)).isTrue();
        assertThat(MetricsRoute.allowed("0:0:0:0:0:0:0:1", null, null)).isTrue();
        assertThat(MetricsRoute.allowed("203.0.113.9", null, null)).isFalse();
        assertThat(MetricsRoute.allowed("203.0.113.9", "Bearer s3cret", null)).as("no token configured").isFalse();
        assertThat(MetricsRoute.allowed("203.0.113.9", "Bearer wrong", "s3cret")).isFalse();
        assertThat(MetricsRoute.allowed("203.0.113.9", "Bearer s3cret", "s3cret")).isTrue();
        assertThat(MetricsRoute.allowed("localhost.evil.example", null, null)).as("names are not resolved").isFalse();
    }
}
