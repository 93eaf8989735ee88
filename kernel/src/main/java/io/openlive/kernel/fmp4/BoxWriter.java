package io.openlive.kernel.fmp4;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes ISO BMFF boxes (ISO/IEC 14496-12 4.2) into a growing byte array: {@link #open} writes a size placeholder and the
 * type, {@link #close} patches the size once the content is known. Boxes nest; 32-bit sizes only (fragments of a live
 * stream are far below 4 GiB). Usage: {@code w.open("moov"); …; w.close(); byte[] b = w.toByteArray();}
 */
final class BoxWriter {
    private byte[] buf;
    private int size;
    private final int[] starts = new int[16];
    private int depth;

    BoxWriter(int capacity) {
        buf = new byte[Math.max(capacity, 64)];
    }

    BoxWriter open(String type) {
        starts[depth++] = size;
        u32(0);
        return fourCc(type);
    }

    /** A FullBox (4.2): box header, then version and 24-bit flags. */
    BoxWriter openFull(String type, int version, int flags) {
        open(type);
        return u32((version << 24) | (flags & 0xFFFFFF));
    }

    BoxWriter close() {
        int start = starts[--depth];
        putU32(start, size - start);
        return this;
    }

    BoxWriter u8(int v) {
        ensure(1);
        buf[size++] = (byte) v;
        return this;
    }

    BoxWriter u16(int v) {
        return u8(v >> 8).u8(v);
    }

    BoxWriter u24(int v) {
        return u8(v >> 16).u8(v >> 8).u8(v);
    }

    BoxWriter u32(long v) {
        ensure(4);
        putU32(size, v);
        size += 4;
        return this;
    }

    BoxWriter u64(long v) {
        return u32(v >>> 32).u32(v);
    }

    BoxWriter zeros(int n) {
        ensure(n);
        size += n; // the array is zero-filled and never reused below size
        return this;
    }

    BoxWriter bytes(byte[] b) {
        return bytes(b, 0, b.length);
    }

    BoxWriter bytes(byte[] b, int offset, int length) {
        ensure(length);
        System.arraycopy(b, offset, buf, size, length);
        size += length;
        return this;
    }

    BoxWriter fourCc(String type) {
        return bytes(type.getBytes(StandardCharsets.US_ASCII));
    }

    int position() {
        return size;
    }

    void putU32(int at, long v) {
        buf[at] = (byte) (v >> 24);
        buf[at + 1] = (byte) (v >> 16);
        buf[at + 2] = (byte) (v >> 8);
        buf[at + 3] = (byte) v;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private void ensure(int n) {
        if (size + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
        }
    }
}
