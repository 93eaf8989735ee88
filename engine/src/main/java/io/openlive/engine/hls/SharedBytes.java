package io.openlive.engine.hls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.ByteBuffer;

/**
 * Bytes that many viewers are sent: the array, for code that works on bytes (muxers, the recorder, tests), and one
 * read-only direct copy of it, made on the first {@link #view()} and shared by every response after it. A response then
 * writes a view of that memory to the socket, where a heap array was copied twice per request (into a Vert.x buffer,
 * then by the epoll transport into a direct one): with a ~650 KB segment per viewer, that was most of the origin's CPU.
 *
 * <p>The direct copy is not reference-counted: it is wrapped unreleasable, so a view released by the channel after its
 * write (or by anything else) frees nothing, and the memory returns to the JDK through the {@link ByteBuffer}'s Cleaner
 * once nothing reaches it: the window has dropped the object and no socket still queues a view. Counting references
 * would need an owner to drop the last one when a segment leaves the window while slow sockets still hold views; the
 * garbage collector already tracks exactly that. Usage: {@code response.end(NettyAccess.buffer(media.view()));}
 */
public final class SharedBytes {
    private final byte[] bytes;
    private volatile ByteBuf direct;

    public SharedBytes(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The bytes as an array; never modified. */
    public byte[] bytes() {
        return bytes;
    }

    public int length() {
        return bytes.length;
    }

    /**
     * A view of the shared direct copy, with its own reader index: nothing is copied and nothing needs releasing. The
     * first call on any thread makes the copy; calls that meet it being made wait for that one.
     */
    public ByteBuf view() {
        return direct().duplicate();
    }

    /** The shared copy itself; its indices are everyone's, so only views leave this class. */
    ByteBuf direct() {
        ByteBuf d = direct;
        if (d != null) {
            return d;
        }
        synchronized (this) {
            if (direct == null) {
                ByteBuffer memory = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip().asReadOnlyBuffer();
                direct = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(memory));
            }
            return direct;
        }
    }

    /** Bytes held off the heap: the length once the direct copy is made, else 0. */
    long directBytes() {
        return direct == null ? 0 : bytes.length;
    }
}
