package io.openlive.protocol.rtmp;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes that all RTMP connections of a node may hold at once in partly received messages. Each
 * {@link RtmpChunkDecoder} given the budget reserves a message's declared length when its first chunk arrives and
 * releases it when the message is complete, aborted or the connection goes; a reservation past the budget fails that
 * connection, not the node (520 slow connections once held 6.5 GB).
 *
 * <p>Thread-safe; shared by every connection of a listener. Usage: {@code decoder.budget(new RtmpBufferBudget(256 << 20))}.
 */
public final class RtmpBufferBudget {
    /** 256 MiB: dozens of publishers each in the middle of a large key frame. */
    public static final long DEFAULT_BYTES = 256L << 20;

    private final long limit;
    private final AtomicLong reserved = new AtomicLong();

    public RtmpBufferBudget(long limit) {
        this.limit = limit;
    }

    /** Reserves {@code bytes}; false (nothing reserved) when that would pass the budget. */
    public boolean tryReserve(long bytes) {
        while (true) {
            long now = reserved.get();
            if (now + bytes > limit) {
                return false;
            }
            if (reserved.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    public void release(long bytes) {
        reserved.addAndGet(-bytes);
    }

    /** Bytes reserved now, for metrics and tests. */
    public long reserved() {
        return reserved.get();
    }

    public long limit() {
        return limit;
    }
}
