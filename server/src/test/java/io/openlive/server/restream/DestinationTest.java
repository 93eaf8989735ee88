package io.openlive.server.restream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Destination URLs parsed into where to connect, refused with a reason, and keys masked and kept out of toString. */
class DestinationTest {
    private static Destination of(String url, String key) {
        return Destination.parse("rs_1", "r1", url, key, true, 0);
    }

    @Test
    void parsesRtmpAndRtmpsWithDefaultPorts() {
        assertThat(of("rtmp://ingest.example.com/live", "k").target())
                .isEqualTo(new Destination.Target("ingest.example.com", 1935, false, "live", "rtmp://ingest.example.com:1935/live"));
        assertThat(of("RTMPS://live.example.com:4443/app/sub/", "k").target())
                .isEqualTo(new Destination.Target("live.example.com", 4443, true, "app/sub", "rtmps://live.example.com:4443/app/sub"));
        assertThat(of("rtmps://a.example/x", "k").target().port()).isEqualTo(443);
    }

    @Test
    void refusesWhatIsNotAnRtmpIngest() {
        for (String url : new String[]{"http://h/live", "rtmp://h", "rtmp://h/", "rtmp:///live", "rtmp://u:p@h/live",
                "rtmp://h/live?key=1", "not a url", "", " "}) {
            assertThatThrownBy(() -> of(url, "k")).as(url).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> of(null, "k")).hasMessageContaining("'url'");
        assertThatThrownBy(() -> of("rtmp://h/live", null)).hasMessageContaining("'key'");
        assertThatThrownBy(() -> of("rtmp://h/live", "a b")).hasMessageContaining("'key'");
        assertThatThrownBy(() -> of("rtmp://h/live", "x".repeat(513))).hasMessageContaining("'key'");
    }

    @Test
    void keyIsMaskedAndNeverInToString() {
        assertThat(of("rtmp://h/live", "live_0123456789abcdefXYZ").maskedKey()).isEqualTo("li…YZ");
        assertThat(of("rtmp://h/live", "abcdefgh").maskedKey()).isEqualTo("a…h");
        assertThat(of("rtmp://h/live", "abc").maskedKey()).isEqualTo("…");
        assertThat(of("rtmp://h/live", "secretKEY").toString()).doesNotContain("secretKEY");
    }
}
