package io.openlive.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lag and delay are the viewer's timestamps held against the publisher's send times. A server that rebased the timeline
 * (openlive does for a publisher back within its grace period) sends timestamps the publisher never sent: the step must
 * then say so rather than report nobody lagging.
 */
class ViewerProbeTest {
    private static final int VIDEO = 9;
    private static final int AUDIO = 8;

    private static RunContext run() {
        RtmpPublisher publisher = new RtmpPublisher(null, "live", "key");
        publisher.startNanos = System.nanoTime();
        RunContext run = new RunContext(publisher);
        run.measuring = true;
        return run;
    }

    private static MediaBench.Step step(RunContext run) {
        return new MediaBench.Step(1, 0, 0, 0, run.latency.percentileMs(0.5), run.latency.percentileMs(0.99), 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, run.latency.count(), run.unmatched.sum());
    }

    @Test
    void framesWithThePublishersTimestampsGiveDelaysAndAMatchedTimeline() {
        RunContext run = run();
        long sent = System.nanoTime() - 12_000_000L; // sent 12 ms ago
        for (int ts = 0; ts < 1000; ts += 40) {
            run.publisher.sentAt.put(ts * 2 + 1, sent);
            run.publisher.sentAt.put(ts * 2, sent);
        }
        ViewerProbe viewer = new ViewerProbe();
        for (int ts = 0; ts < 1000; ts += 40) {
            viewer.onMedia(run, VIDEO, ts, 5000);
            viewer.onMedia(run, AUDIO, ts, 300);
        }
        assertThat(viewer.firstFrameNanos).isPositive();
        assertThat(viewer.frames).isEqualTo(50);
        assertThat(viewer.bytes).isEqualTo(25 * 5300);
        assertThat(run.unmatched.sum()).isZero();
        assertThat(run.latency.percentileMs(0.5)).isBetween(12.0, 1000.0);
        assertThat(step(run).timelineMatched()).isTrue();
    }

    @Test
    void aRebasedTimelineIsReportedAsUnmatchedInsteadOfAsNoLag() {
        RunContext run = run();
        for (int ts = 0; ts < 1000; ts += 40) {
            run.publisher.sentAt.put(ts * 2 + 1, System.nanoTime());
        }
        ViewerProbe viewer = new ViewerProbe();
        viewer.onMedia(run, VIDEO, 0, 5000); // the one frame the server had not rebased yet
        for (int ts = 1; ts < 1000; ts += 40) { // the server's own timeline: one millisecond off every send
            viewer.onMedia(run, VIDEO, ts, 5000);
        }
        assertThat(run.latency.count()).isEqualTo(1);
        assertThat(run.unmatched.sum()).isEqualTo(25);
        assertThat(step(run).timelineMatched()).isFalse();
    }

    @Test
    void lagIsTheWorstOfTheLastSecondBehindThePublishersClock() {
        RunContext run = run();
        run.measuring = false;
        run.publisher.startNanos = System.nanoTime() - 5_000_000_000L; // publishing for 5 s
        ViewerProbe viewer = new ViewerProbe();
        viewer.onMedia(run, VIDEO, 3000, 100); // media time 3 s: 2 s behind
        viewer.onMedia(run, VIDEO, 4900, 100); // caught up to within 100 ms
        assertThat(viewer.lagMs()).isBetween(2000, 2100);
        assertThat(run.latency.count()).as("not measuring").isZero();
    }
}
