package io.openlive.kernel.codec;

/**
 * Reads bits most significant first, and Exp-Golomb codes (H.264 9.1), from a byte array. Reading past the end throws
 * {@link CodecConfigException}, so a truncated record is a declared failure, never an index error.
 */
final class BitReader {
    private final byte[] data;
    private final int end;
    private long bit;

    BitReader(byte[] data, int offset, int length) {
        this.data = data;
        this.end = offset + length;
        this.bit = (long) offset * 8;
    }

    int bits(int n) {
        int v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 1) | bit();
        }
        return v;
    }

    int bit() {
        int index = (int) (bit >> 3);
        if (index >= end) {
            throw new CodecConfigException("record ends early");
        }
        int v = (data[index] >> (7 - (int) (bit & 7))) & 1;
        bit++;
        return v;
    }

    void skip(int n) {
        bit += n;
        if (bit > (long) end * 8) {
            throw new CodecConfigException("record ends early");
        }
    }

    /**
     * ue(v), H.264 9.1: leading zero bits, a one, then as many bits again. Values past {@link Integer#MAX_VALUE} (up to
     * 2^32 - 2 can be coded) are refused: no field read with it is that large, and as an int they would turn negative
     * and pass checks such as {@code chroma_format_idc > 3}.
     */
    int ue() {
        long v = ueLong();
        if (v > Integer.MAX_VALUE) {
            throw new CodecConfigException("Exp-Golomb value " + v + " out of range");
        }
        return (int) v;
    }

    private long ueLong() {
        int zeros = 0;
        while (bit() == 0) {
            if (++zeros > 31) {
                throw new CodecConfigException("Exp-Golomb code longer than 32 bits");
            }
        }
        return (1L << zeros) - 1 + (zeros == 0 ? 0 : Integer.toUnsignedLong(bits(zeros)));
    }

    /** se(v), H.264 9.1.1: ue mapped to 0, 1, -1, 2, -2, … */
    int se() {
        long k = ueLong();
        return (int) ((k & 1) == 1 ? (k + 1) / 2 : -(k / 2));
    }
}
