package io.openlive.kernel.fmp4;

import io.openlive.kernel.codec.AacConfig;
import io.openlive.kernel.codec.AvcConfig;
import io.openlive.kernel.codec.HevcConfig;
import io.openlive.kernel.codec.VideoConfig;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The samples of a progressive MP4 as {@link Mp4Faststart} writes it (H.264 or H.265 in track 1 and/or AAC in track 2, co64 chunk
 * offsets): for each track its configuration and every sample's position, size, decode time, composition offset and
 * sync flag, from the sample tables (ISO/IEC 14496-12 8.6–8.7), with an empty edit applied as a start delay. What a VOD
 * HLS replay cuts into fragments. Anything else is a {@link Fmp4Exception}. Usage:
 * {@code Mp4Samples m = Mp4Samples.read(channel);}
 */
public final class Mp4Samples {
    /** Sample tables of a long show are a few megabytes; a moov claiming more is not ours. */
    static final int MAX_MOOV = 64 << 20;

    /** One sample of a track; decode time in the track's timescale. */
    public record Ref(long offset, int size, long decodeTime, int duration, int compositionOffset, boolean sync) {
    }

    /** A track: its timescale and samples; {@code video} or {@code aac} set by its kind. */
    public record Track(int timescale, VideoConfig video, AacConfig aac, List<Ref> samples) {
    }

    private final Track video;
    private final Track audio;

    private Mp4Samples(Track video, Track audio) {
        this.video = video;
        this.audio = audio;
    }

    public Track video() {
        return video;
    }

    public Track audio() {
        return audio;
    }

    public static Mp4Samples read(SeekableByteChannel in) throws IOException {
        long[] moov = moov(in);
        if (moov[1] > MAX_MOOV) {
            throw new Fmp4Exception("moov of " + moov[1] + " bytes");
        }
        try {
            return parse(readAt(in, moov[0], (int) moov[1]), in.size());
        } catch (IndexOutOfBoundsException | IllegalArgumentException | NegativeArraySizeException
                 | io.openlive.kernel.codec.CodecConfigException e) {
            throw new Fmp4Exception("moov is not one this package wrote: " + e.getMessage());
        }
    }

    /**
     * The movie's duration in seconds from its {@code mvhd} (ISO/IEC 14496-12 8.2.2, version 0 or 1), reading box headers
     * and that box alone rather than the sample tables: what a listing of recordings shows, a few small reads per file.
     */
    public static double movieSeconds(SeekableByteChannel in) throws IOException {
        long[] moov = moov(in);
        long end = moov[0] + moov[1];
        long pos = moov[0] + 8;
        while (pos + 8 <= end) {
            ByteBuffer h = readAt(in, pos, 8);
            long size = Integer.toUnsignedLong(h.getInt(0));
            if (size < 8 || pos + size > end) {
                break;
            }
            if (FragmentedIndex.fourCc(h, 4).equals("mvhd")) {
                ByteBuffer m = readAt(in, pos, (int) Math.min(size, 40));
                boolean wide = m.get(8) == 1;
                long timescale = Integer.toUnsignedLong(m.getInt(wide ? 28 : 20));
                long duration = wide ? m.getLong(32) : Integer.toUnsignedLong(m.getInt(24));
                if (timescale == 0 || duration < 0) {
                    throw new Fmp4Exception("mvhd without a timescale or with a negative duration");
                }
                return duration / (double) timescale;
            }
            pos += size;
        }
        throw new Fmp4Exception("moov without mvhd");
    }

    /** Where the top-level moov box starts and its size. */
    private static long[] moov(SeekableByteChannel in) throws IOException {
        long pos = 0;
        long size = in.size();
        while (pos + 8 <= size) {
            ByteBuffer h = readAt(in, pos, 16 <= size - pos ? 16 : 8);
            long boxSize = Integer.toUnsignedLong(h.getInt(0));
            String type = FragmentedIndex.fourCc(h, 4);
            if (boxSize == 1 && h.limit() >= 16) {
                boxSize = h.getLong(8);
            }
            if (boxSize < 8 || pos + boxSize > size) {
                throw new Fmp4Exception("box '" + type + "' at " + pos + " overruns the file");
            }
            if (type.equals("moov")) {
                return new long[]{pos, boxSize};
            }
            pos += boxSize;
        }
        throw new Fmp4Exception("no moov");
    }

    private static Mp4Samples parse(ByteBuffer moov, long fileSize) {
        int movieTimescale = 1000;
        Track video = null;
        Track audio = null;
        for (FragmentedIndex.Box b : FragmentedIndex.Box.children(moov, 8, moov.limit())) {
            if (b.type().equals("mvhd")) {
                movieTimescale = moov.getInt(b.start() + 20);
            } else if (b.type().equals("trak")) {
                Track t = track(moov, b, movieTimescale, fileSize);
                if (t.video() != null) {
                    video = t;
                } else {
                    audio = t;
                }
            }
        }
        if (video == null && audio == null) {
            throw new Fmp4Exception("no track");
        }
        return new Mp4Samples(video, audio);
    }

    private static Track track(ByteBuffer m, FragmentedIndex.Box trak, int movieTimescale, long fileSize) {
        long delayMovie = 0;
        int timescale = 0;
        VideoConfig video = null;
        AacConfig aac = null;
        long[] durations = null, offsetsCto = null, sizes = null, chunkOffsets = null;
        int[] sync = null;
        long[][] stsc = null;
        for (FragmentedIndex.Box b : FragmentedIndex.Box.children(m, trak.start() + 8, trak.end())) {
            if (b.type().equals("edts")) {
                FragmentedIndex.Box elst = FragmentedIndex.Box.children(m, b.start() + 8, b.end()).get(0);
                if (m.getInt(elst.start() + 12) >= 1 && m.getInt(elst.start() + 20) == -1) {
                    delayMovie = Integer.toUnsignedLong(m.getInt(elst.start() + 16)); // an empty edit first: a start delay
                }
            }
            if (!b.type().equals("mdia")) {
                continue;
            }
            for (FragmentedIndex.Box x : FragmentedIndex.Box.children(m, b.start() + 8, b.end())) {
                if (x.type().equals("mdhd")) {
                    timescale = m.getInt(x.start() + 20);
                } else if (x.type().equals("minf")) {
                    for (FragmentedIndex.Box y : FragmentedIndex.Box.children(m, x.start() + 8, x.end())) {
                        if (!y.type().equals("stbl")) {
                            continue;
                        }
                        for (FragmentedIndex.Box s : FragmentedIndex.Box.children(m, y.start() + 8, y.end())) {
                            int n = s.start() + 12;
                            switch (s.type()) {
                                case "stsd" -> {
                                    FragmentedIndex.Box entry = FragmentedIndex.Box.children(m, s.start() + 16, s.end()).get(0);
                                    if (entry.type().equals("avc1")) {
                                        video = AvcConfig.parse(child(m, entry, 8 + 78, "avcC"));
                                    } else if (entry.type().equals("hvc1")) {
                                        video = HevcConfig.parse(child(m, entry, 8 + 78, "hvcC"));
                                    } else if (entry.type().equals("mp4a")) {
                                        aac = AacConfig.parse(asc(child(m, entry, 8 + 28, "esds")));
                                    } else {
                                        throw new Fmp4Exception("sample entry " + entry.type());
                                    }
                                }
                                case "stts" -> durations = expand(m, n);
                                case "ctts" -> offsetsCto = expand(m, n);
                                case "stss" -> {
                                    int count = count(m, n, 4, s.end());
                                    sync = new int[count];
                                    for (int i = 0; i < count; i++) {
                                        sync[i] = m.getInt(n + 4 + 4 * i);
                                    }
                                }
                                case "stsc" -> {
                                    int count = count(m, n, 12, s.end());
                                    stsc = new long[count][];
                                    for (int i = 0; i < count; i++) {
                                        stsc[i] = new long[]{Integer.toUnsignedLong(m.getInt(n + 4 + 12 * i)), Integer.toUnsignedLong(m.getInt(n + 8 + 12 * i))};
                                    }
                                }
                                case "stsz" -> {
                                    if (m.getInt(n) != 0) {
                                        throw new Fmp4Exception("stsz with one size for all samples");
                                    }
                                    int count = count(m, n + 4, 4, s.end());
                                    sizes = new long[count];
                                    for (int i = 0; i < count; i++) {
                                        sizes[i] = Integer.toUnsignedLong(m.getInt(n + 8 + 4 * i));
                                    }
                                }
                                case "co64" -> {
                                    int count = count(m, n, 8, s.end());
                                    chunkOffsets = new long[count];
                                    for (int i = 0; i < count; i++) {
                                        chunkOffsets[i] = m.getLong(n + 4 + 8 * i);
                                    }
                                }
                                default -> {
                                }
                            }
                        }
                    }
                }
            }
        }
        if (timescale <= 0 || (video == null) == (aac == null) || durations == null || sizes == null || stsc == null || chunkOffsets == null) {
            throw new Fmp4Exception("track without the sample tables this reader needs");
        }
        if (durations.length != sizes.length || (offsetsCto != null && offsetsCto.length != sizes.length)) {
            throw new Fmp4Exception("sample tables disagree on the sample count");
        }
        List<Ref> refs = new ArrayList<>(sizes.length);
        long time = delayMovie * timescale / movieTimescale;
        int sample = 0;
        for (int chunk = 0; chunk < chunkOffsets.length; chunk++) {
            long perChunk = 0;
            for (long[] e : stsc) {
                if (e[0] <= chunk + 1) {
                    perChunk = e[1];
                }
            }
            long offset = chunkOffsets[chunk];
            for (long i = 0; i < perChunk && sample < sizes.length; i++, sample++) {
                if (offset + sizes[sample] > fileSize) {
                    throw new Fmp4Exception("sample data past the end of the file");
                }
                boolean isSync = sync == null || Arrays.binarySearch(sync, sample + 1) >= 0;
                refs.add(new Ref(offset, (int) sizes[sample], time, (int) durations[sample],
                        offsetsCto == null ? 0 : (int) offsetsCto[sample], isSync));
                offset += sizes[sample];
                time += durations[sample];
            }
        }
        return new Track(timescale, video, aac, List.copyOf(refs));
    }

    /** An entry count at {@code at}, checked against the entries that fit before {@code end}. */
    private static int count(ByteBuffer m, int at, int entrySize, int end) {
        int count = m.getInt(at);
        if (count < 0 || (long) count * entrySize > end - at - 4) {
            throw new Fmp4Exception("table of " + count + " entries does not fit its box");
        }
        return count;
    }

    /** A run-length table (stts, ctts: count, value) expanded to one value per sample. */
    private static long[] expand(ByteBuffer m, int at) {
        int entries = m.getInt(at);
        if (entries < 0 || (long) entries * 8 > m.limit() - at - 4) {
            throw new Fmp4Exception("table of " + entries + " entries does not fit");
        }
        long total = 0;
        for (int i = 0; i < entries; i++) {
            total += Integer.toUnsignedLong(m.getInt(at + 4 + 8 * i));
        }
        if (total > 50_000_000) {
            throw new Fmp4Exception("table of " + total + " samples");
        }
        long[] out = new long[(int) total];
        int k = 0;
        for (int i = 0; i < entries; i++) {
            long count = Integer.toUnsignedLong(m.getInt(at + 4 + 8 * i));
            int value = m.getInt(at + 8 + 8 * i);
            for (long j = 0; j < count; j++) {
                out[k++] = value;
            }
        }
        return out;
    }

    private static byte[] child(ByteBuffer m, FragmentedIndex.Box entry, int skip, String type) {
        for (FragmentedIndex.Box b : FragmentedIndex.Box.children(m, entry.start() + skip, entry.end())) {
            if (b.type().equals(type)) {
                byte[] out = new byte[b.end() - b.start() - 8];
                m.get(b.start() + 8, out);
                return out;
            }
        }
        throw new Fmp4Exception("no " + type + " in " + entry.type());
    }

    /** The DecoderSpecificInfo (the AudioSpecificConfig) inside an esds body (ISO/IEC 14496-1 7.2.6), as Fmp4Init writes it. */
    private static byte[] asc(byte[] esds) {
        int i = 4; // version and flags
        while (i + 2 <= esds.length) {
            int tag = esds[i] & 0xFF;
            int length = esds[i + 1] & 0xFF;
            switch (tag) {
                case 0x03 -> i += 2 + 3;
                case 0x04 -> i += 2 + 13;
                case 0x05 -> {
                    if (i + 2 + length > esds.length) {
                        throw new Fmp4Exception("esds ends inside its DecoderSpecificInfo");
                    }
                    return Arrays.copyOfRange(esds, i + 2, i + 2 + length);
                }
                default -> throw new Fmp4Exception("esds descriptor " + tag);
            }
        }
        throw new Fmp4Exception("esds without a DecoderSpecificInfo");
    }

    private static ByteBuffer readAt(SeekableByteChannel in, long pos, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        in.position(pos);
        while (b.hasRemaining()) {
            if (in.read(b) < 0) {
                throw new Fmp4Exception("file ends early");
            }
        }
        return b.flip();
    }
}
