package io.openlive.kernel.fmp4;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * What a fragmented MP4 file written by this package holds (ISO/IEC 14496-12 8.8): the {@code ftyp} and {@code moov}
 * boxes, and every complete fragment's samples per track with where their bytes are. Reading stops at the first box
 * that is cut short — the fragment in flight when a writer was killed — so a crashed recording indexes up to its last
 * complete fragment. Only what {@link Fmp4Init} and {@link Fmp4Fragment} write is understood (tfhd with
 * default-base-is-moof, trun with all sample fields); anything else is a {@link Fmp4Exception}.
 * Usage: {@code FragmentedIndex idx = FragmentedIndex.read(channel);}
 */
public final class FragmentedIndex {
    /** A moof box is a few kilobytes; one claiming more is not ours. */
    static final int MAX_MOOF = 16 << 20;
    static final int MAX_HEADER = 1 << 20;

    /** One sample: where its bytes are in the file, how long it lasts, its flags. */
    public record SampleRef(long offset, int size, int duration, int compositionOffset, boolean sync) {
    }

    /** One run of a track's samples, contiguous in the file (one traf of one fragment). */
    public record Run(int trackId, long baseDecodeTime, List<SampleRef> samples) {
    }

    private final byte[] ftyp;
    private final byte[] moov;
    private final List<Run> runs;
    private final long mediaEnd;

    private FragmentedIndex(byte[] ftyp, byte[] moov, List<Run> runs, long mediaEnd) {
        this.ftyp = ftyp;
        this.moov = moov;
        this.runs = runs;
        this.mediaEnd = mediaEnd;
    }

    public byte[] ftyp() {
        return ftyp;
    }

    public byte[] moov() {
        return moov;
    }

    public List<Run> runs() {
        return runs;
    }

    /** File length up to the end of the last complete fragment. */
    public long completeLength() {
        return mediaEnd;
    }

    public static FragmentedIndex read(SeekableByteChannel in) throws IOException {
        long size = in.size();
        long pos = 0;
        byte[] ftyp = null;
        byte[] moov = null;
        List<Run> runs = new ArrayList<>();
        long end = 0;
        while (pos + 8 <= size) {
            ByteBuffer header = readAt(in, pos, 8);
            long boxSize = Integer.toUnsignedLong(header.getInt(0));
            String type = fourCc(header, 4);
            if (boxSize < 8) {
                throw new Fmp4Exception("box '" + type + "' at " + pos + " has size " + boxSize);
            }
            if (pos + boxSize > size) {
                break; // cut short: the fragment in flight
            }
            switch (type) {
                case "ftyp" -> ftyp = bytes(in, pos, boxSize, MAX_HEADER);
                case "moov" -> moov = bytes(in, pos, boxSize, MAX_HEADER);
                case "moof" -> {
                    if (moov == null) {
                        throw new Fmp4Exception("fragment before the moov");
                    }
                    long mdatAt = pos + boxSize;
                    if (mdatAt + 8 > size) {
                        pos = size;
                        continue;
                    }
                    ByteBuffer mdatHeader = readAt(in, mdatAt, 8);
                    long mdatSize = Integer.toUnsignedLong(mdatHeader.getInt(0));
                    if (!fourCc(mdatHeader, 4).equals("mdat") || mdatSize < 8) {
                        throw new Fmp4Exception("moof at " + pos + " is not followed by an mdat");
                    }
                    if (mdatAt + mdatSize > size) {
                        pos = size;
                        continue; // the mdat of the fragment in flight is incomplete: leave the fragment out
                    }
                    List<Run> fragment;
                    try {
                        fragment = fragment(ByteBuffer.wrap(bytes(in, pos, boxSize, MAX_MOOF)), pos, mdatAt + 8, mdatAt + mdatSize);
                    } catch (IndexOutOfBoundsException e) {
                        throw new Fmp4Exception("moof at " + pos + " has boxes too short for their fields");
                    }
                    runs.addAll(fragment);
                    pos = mdatAt + mdatSize;
                    end = pos;
                    continue;
                }
                default -> {
                }
            }
            pos += boxSize;
            if (moov != null && runs.isEmpty()) {
                end = pos;
            }
        }
        if (ftyp == null || moov == null) {
            throw new Fmp4Exception("no ftyp and moov: not a fragmented MP4 file");
        }
        return new FragmentedIndex(ftyp, moov, List.copyOf(runs), end);
    }

    private static List<Run> fragment(ByteBuffer moof, long moofAt, long dataStart, long dataEnd) {
        List<Run> runs = new ArrayList<>();
        for (Box traf : Box.children(moof, 8, moof.limit())) {
            if (!traf.type.equals("traf")) {
                continue;
            }
            int trackId = -1;
            long baseTime = 0;
            List<SampleRef> samples = new ArrayList<>();
            for (Box b : Box.children(moof, traf.start + 8, traf.end)) {
                switch (b.type) {
                    case "tfhd" -> {
                        int flags = moof.getInt(b.start + 8) & 0xFFFFFF;
                        if (flags != 0x020000) {
                            throw new Fmp4Exception("tfhd flags " + Integer.toHexString(flags) + " are not default-base-is-moof");
                        }
                        trackId = moof.getInt(b.start + 12);
                    }
                    case "tfdt" -> baseTime = moof.get(b.start + 8) == 1 ? moof.getLong(b.start + 12)
                            : Integer.toUnsignedLong(moof.getInt(b.start + 12));
                    case "trun" -> {
                        int flags = moof.getInt(b.start + 8) & 0xFFFFFF;
                        if (flags != 0x000F01) {
                            throw new Fmp4Exception("trun flags " + Integer.toHexString(flags) + " are not the ones written here");
                        }
                        int count = moof.getInt(b.start + 12);
                        if (count < 0 || 20L + 16L * count > b.end - b.start) {
                            throw new Fmp4Exception("trun of " + count + " samples does not fit its box");
                        }
                        long offset = moofAt + moof.getInt(b.start + 16);
                        for (int i = 0; i < count; i++) {
                            int at = b.start + 20 + 16 * i;
                            int sampleSize = moof.getInt(at + 4);
                            if (sampleSize < 0 || offset < dataStart || offset + sampleSize > dataEnd) {
                                throw new Fmp4Exception("sample data outside its mdat");
                            }
                            samples.add(new SampleRef(offset, sampleSize, moof.getInt(at), moof.getInt(at + 12),
                                    (moof.getInt(at + 8) & 0x00010000) == 0));
                            offset += sampleSize;
                        }
                    }
                    default -> {
                    }
                }
            }
            if (trackId < 0) {
                throw new Fmp4Exception("traf without tfhd");
            }
            runs.add(new Run(trackId, baseTime, List.copyOf(samples)));
        }
        return runs;
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

    private static byte[] bytes(SeekableByteChannel in, long pos, long size, int max) throws IOException {
        if (size > max) {
            throw new Fmp4Exception("box of " + size + " bytes is over " + max);
        }
        return readAt(in, pos, (int) size).array();
    }

    static String fourCc(ByteBuffer b, int at) {
        return new String(new byte[]{b.get(at), b.get(at + 1), b.get(at + 2), b.get(at + 3)}, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** A box inside a buffer: type and [start, end). */
    record Box(String type, int start, int end) {
        static List<Box> children(ByteBuffer b, int from, int to) {
            List<Box> out = new ArrayList<>();
            int pos = from;
            while (pos + 8 <= to) {
                long size = Integer.toUnsignedLong(b.getInt(pos));
                if (size < 8 || pos + size > to) {
                    throw new Fmp4Exception("box at " + pos + " of size " + size + " overruns its parent");
                }
                out.add(new Box(fourCc(b, pos + 4), pos, (int) (pos + size)));
                pos += (int) size;
            }
            return out;
        }
    }
}
