package io.openlive.bench;

import java.util.concurrent.atomic.LongAdder;

/** Shared state of one measured step: the publisher's clock and the aggregated histograms. */
final class RunContext {
    final RtmpPublisher publisher;
    final Histogram latency = new Histogram();
    final Histogram firstFrame = new Histogram();
    final LongAdder unmatched = new LongAdder();
    volatile boolean measuring;

    RunContext(RtmpPublisher publisher) {
        this.publisher = publisher;
    }
}
