package io.openlive.engine.hls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;

/**
 * Bytes that many viewers are sent: the array, for code that works on bytes (muxers, the recorder, tests), and one
 * direct copy of it, made on the first {@link #view()} and shared by every response after it. A response writes a view
 * of that memory to the socket, where a heap array was copied twice per request (into a Vert.x buffer, then by the epoll
 * transport into a direct one): with a ~650 KB segment per viewer, that was most of the origin's CPU.
 *
 * <p>The direct copy is reference-counted: this object holds one reference until {@link #drop()} (the segment left the
 * window, the room's segmenter stopped), and each view holds one until its response is written and releases it. The
 * memory is freed when the last of them goes, not whenever the garbage collector gets round to a long-lived buffer
 * object: left to the collector, a day of segments promoted to the old generation held hundreds of megabytes
 * (BENCHMARKS.md, HLS run 3). A copy that is never dropped is still freed by its Cleaner once unreachable. After
 * {@link #drop()} there are no new views: the caller answers as for a file no longer in the window.
 *
 * <p>Usage: {@code ByteBuf v = media.view(); if (v != null) response.end(wrap(v)).onComplete(x -> v.release());}
 */
public final class SharedBytes {
    /**
     * Direct buffers with a Cleaner, freed at once on their last release. Netty's leak detector is off for them: a copy
     * whose owner never drops it (a test, a window nobody retires) is not a leak here but left to its Cleaner, and the
     * counts that matter are checked by {@link #references()} in the tests.
     */
    private static final ByteBufAllocator DIRECT = new UnpooledByteBufAllocator(true, true, false);

    private final byte[] bytes;
    private ByteBuf direct; // guarded by this
    private boolean dropped; // guarded by this

    public SharedBytes(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The bytes as an array; never modified. Readable after {@link #drop()} too. */
    public byte[] bytes() {
        return bytes;
    }

    public int length() {
        return bytes.length;
    }

    /**
     * A view of the shared direct copy with its own indices and one reference, which the caller releases once the view
     * is written (or not sent); null once dropped. The first call makes the copy; calls on other threads wait for it.
     */
    public synchronized ByteBuf view() {
        if (dropped) {
            return null;
        }
        if (direct == null) {
            direct = DIRECT.directBuffer(bytes.length, bytes.length).writeBytes(bytes);
        }
        return direct.retainedDuplicate();
    }

    /** No more views; the direct copy is freed once the views still being written are released. Idempotent. */
    public synchronized void drop() {
        if (!dropped) {
            dropped = true;
            if (direct != null) {
                direct.release();
                direct = null;
            }
        }
    }

    /**
     * References to the direct copy: 1 while it is held and no response is writing it, one more per response being
     * written, 0 once dropped or before the first view. For tests and diagnostics.
     */
    public synchronized int references() {
        return direct == null ? 0 : direct.refCnt();
    }

    /** The shared copy itself, for tests; null before the first view and after {@link #drop()}. */
    synchronized ByteBuf direct() {
        return direct;
    }

    /** Bytes held off the heap by this object: the length while its direct copy is made and not dropped, else 0. */
    synchronized long directBytes() {
        return direct == null ? 0 : bytes.length;
    }
}
