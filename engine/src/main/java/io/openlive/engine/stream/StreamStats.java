package io.openlive.engine.stream;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Figures of one stream, or of the whole server: updated on hot paths, so adders and atomics only. */
public final class StreamStats {
    public final LongAdder bytesIn = new LongAdder();
    public final LongAdder framesIn = new LongAdder();
    public final LongAdder bytesOut = new LongAdder();
    public final LongAdder framesDropped = new LongAdder();
    public final LongAdder slowViewersDisconnected = new LongAdder();
    /** Publisher batches held for the other track's next frame ({@link PairingHold}). */
    public final LongAdder pairingHolds = new LongAdder();
    public final AtomicInteger publishers = new AtomicInteger();
    public final AtomicInteger viewersHttpFlv = new AtomicInteger();
    public final AtomicInteger viewersWsFlv = new AtomicInteger();
    public final AtomicInteger viewersRtmp = new AtomicInteger();

    public AtomicInteger viewers(String protocol) {
        return switch (protocol) {
            case "http-flv" -> viewersHttpFlv;
            case "ws-flv" -> viewersWsFlv;
            default -> viewersRtmp;
        };
    }

    public int viewers() {
        return viewersHttpFlv.get() + viewersWsFlv.get() + viewersRtmp.get();
    }
}
