package io.openlive.bench;

/**
 * The decode time of the last video frame in a fetched HLS chunk, read from the media itself so the bench can tell
 * when the publisher sent that frame: from the last {@code moof}'s video {@code traf} of an fMP4 part or segment
 * (ISO/IEC 14496-12 8.8: {@code tfdt} plus the {@code trun} durations before the last sample), or from the last video
 * PES header of an MPEG-TS segment (ISO/IEC 13818-1 2.4.3.7: DTS, else PTS). Both servers stamp video at 90 kHz from
 * the RTMP timestamp (openlive as it is; nginx-rtmp 700 ms later, its PCR delay, which the caller subtracts).
 * Usage: {@code long ms = MediaTimes.lastVideoMsFmp4(bytes, 1)}
 */
final class MediaTimes {
    private static final int TS_PACKET = 188;

    private MediaTimes() {
    }

    /** Milliseconds (decode time / 90) of the last sample of track {@code videoTrack}; -1 when there is none. */
    static long lastVideoMsFmp4(byte[] b, int videoTrack) {
        long last = -1;
        int at = 0;
        while (at + 8 <= b.length) {
            long size = u32(b, at);
            if (size < 8 || at + size > b.length) {
                break;
            }
            if (type(b, at, "moof")) {
                long t = moof(b, at + 8, (int) (at + size), videoTrack);
                if (t >= 0) {
                    last = t;
                }
            }
            at += (int) size;
        }
        return last < 0 ? -1 : last / 90;
    }

    private static long moof(byte[] b, int from, int to, int videoTrack) {
        long result = -1;
        for (int at = from; at + 8 <= to; ) {
            int size = (int) u32(b, at);
            if (size < 8 || at + size > to) {
                break;
            }
            if (type(b, at, "traf")) {
                long t = traf(b, at + 8, at + size, videoTrack);
                if (t >= 0) {
                    result = t;
                }
            }
            at += size;
        }
        return result;
    }

    /** The decode time of the traf's last sample if it is of {@code videoTrack}, else -1. */
    private static long traf(byte[] b, int from, int to, int videoTrack) {
        int track = -1;
        long defaultDuration = 0;
        long base = 0;
        long lastStart = -1;
        for (int at = from; at + 8 <= to; ) {
            int size = (int) u32(b, at);
            if (size < 8 || at + size > to) {
                break;
            }
            int flags = (int) (u32(b, at + 8) & 0xFFFFFF);
            int version = b[at + 8] & 0xFF;
            if (type(b, at, "tfhd")) {
                track = (int) u32(b, at + 12);
                int p = at + 16;
                p += (flags & 0x01) != 0 ? 8 : 0; // base-data-offset
                p += (flags & 0x02) != 0 ? 4 : 0; // sample-description-index
                if ((flags & 0x08) != 0) {
                    defaultDuration = u32(b, p);
                }
            } else if (type(b, at, "tfdt")) {
                base = version == 1 ? (u32(b, at + 12) << 32) | u32(b, at + 16) : u32(b, at + 12);
            } else if (type(b, at, "trun")) {
                long count = u32(b, at + 12);
                int p = at + 16;
                p += (flags & 0x001) != 0 ? 4 : 0; // data-offset
                p += (flags & 0x004) != 0 ? 4 : 0; // first-sample-flags
                int perSample = Integer.bitCount(flags & 0xF00) * 4;
                long t = base;
                for (long i = 0; i < count; i++) {
                    lastStart = t;
                    t += (flags & 0x100) != 0 ? u32(b, p) : defaultDuration;
                    p += perSample;
                }
                base = t; // a second trun continues where this one ended
            }
            at += size;
        }
        return track == videoTrack ? lastStart : -1;
    }

    /** Milliseconds (DTS, else PTS, / 90) of the last video PES (stream id 0xE0–0xEF) that starts in the segment; -1 if none. */
    static long lastVideoMsTs(byte[] b) {
        long last = -1;
        for (int at = 0; at + TS_PACKET <= b.length; at += TS_PACKET) {
            if (b[at] != 0x47 || (b[at + 1] & 0x40) == 0) {
                continue; // not synchronised, or no payload unit starts here
            }
            int control = (b[at + 3] >> 4) & 3;
            if ((control & 1) == 0) {
                continue;
            }
            int p = at + 4 + ((control & 2) != 0 ? 1 + (b[at + 4] & 0xFF) : 0);
            if (p + 19 > at + TS_PACKET || b[p] != 0 || b[p + 1] != 0 || b[p + 2] != 1 || (b[p + 3] & 0xF0) != 0xE0) {
                continue;
            }
            int ptsDts = (b[p + 7] >> 6) & 3;
            if (ptsDts == 3) {
                last = timestamp(b, p + 14);
            } else if (ptsDts == 2) {
                last = timestamp(b, p + 9);
            }
        }
        return last < 0 ? -1 : last / 90;
    }

    /** A 33-bit PTS or DTS from its five bytes with marker bits. */
    static long timestamp(byte[] b, int at) {
        return ((long) ((b[at] >> 1) & 0x07) << 30) | ((long) (b[at + 1] & 0xFF) << 22) | ((long) ((b[at + 2] & 0xFF) >> 1) << 15)
                | ((long) (b[at + 3] & 0xFF) << 7) | ((b[at + 4] & 0xFF) >> 1);
    }

    private static long u32(byte[] b, int at) {
        return ((long) (b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    private static boolean type(byte[] b, int at, String t) {
        return b[at + 4] == t.charAt(0) && b[at + 5] == t.charAt(1) && b[at + 6] == t.charAt(2) && b[at + 7] == t.charAt(3);
    }
}
