package io.openlive.kernel.fmp4;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;

/** Jazzer target: arbitrary bytes as a recording yield an index or {@link Fmp4Exception}, nothing else. */
class FragmentedIndexFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void read(byte[] input) throws Exception {
        try {
            FragmentedIndex.read(new Bytes(input));
        } catch (Fmp4Exception expected) {
            // the declared failure
        }
    }

    /** A read-only channel over a byte array. */
    static final class Bytes implements SeekableByteChannel {
        private final byte[] data;
        private long position;

        Bytes(byte[] data) {
            this.data = data;
        }

        @Override
        public int read(ByteBuffer dst) {
            if (position >= data.length) {
                return -1;
            }
            int n = (int) Math.min(dst.remaining(), data.length - position);
            dst.put(data, (int) position, n);
            position += n;
            return n;
        }

        @Override
        public int write(ByteBuffer src) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public SeekableByteChannel position(long p) {
            position = p;
            return this;
        }

        @Override
        public long size() {
            return data.length;
        }

        @Override
        public SeekableByteChannel truncate(long size) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
