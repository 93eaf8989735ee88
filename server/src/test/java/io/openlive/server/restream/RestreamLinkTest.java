package io.openlive.server.restream;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A destination's back-off between attempts: 1 s doubling to 30 s while it keeps failing, back to 1 s once a publish
 * starts, each failure counted with its reason. RestreamTest shows a reconnect against nginx, not the delays.
 */
class RestreamLinkTest {
    private final RestreamLink link = new RestreamLink(Destination.parse("rs_1", "r1", "rtmp://h/live", "key", true, 0));

    @Test
    void backOffDoublesFromOneSecondToThirtyAndCountsEachFailure() {
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            delays.add(link.failed("refused " + i));
        }
        assertThat(delays).containsExactly(1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 30_000L, 30_000L, 30_000L);
        assertThat(link.reconnects()).isEqualTo(8);
        assertThat(link.state()).isEqualTo(RestreamLink.State.BACKOFF);
        assertThat(link.view()).containsEntry("lastError", "refused 7").containsEntry("state", "backoff");
    }

    @Test
    void aPublishThatStartsResetsTheBackOff() {
        link.failed("refused");
        link.failed("refused");
        RtmpPush push = null; // connected() compares the push it is given with the link's current one
        link.push(push);
        link.connected(push);
        assertThat(link.state()).isEqualTo(RestreamLink.State.CONNECTED);
        assertThat(link.failed("dropped")).as("first delay after a connection that worked").isEqualTo(1_000L);
        assertThat(link.reconnects()).as("every failure still counted").isEqualTo(3);
    }
}
