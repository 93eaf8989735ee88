package io.openlive.kernel.fmp4;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rewrites a fragmented MP4 ({@link FragmentedIndex}) as a progressive MP4 with its index first ("faststart"):
 * {@code ftyp}, a {@code moov} with complete sample tables (ISO/IEC 14496-12 8.6–8.7: stts, ctts, stss, stsc, stsz, co64)
 * and one {@code mdat} with the same sample bytes in the same order. Nothing is re-encoded: each fragment's run of a
 * track becomes one chunk. A track that starts later than the other gets an empty edit (8.6.6) so the two stay in sync.
 * Usage: {@code Mp4Faststart.write(FragmentedIndex.read(in), in, out);}
 */
public final class Mp4Faststart {
    private static final int MOVIE_TIMESCALE = 1000;
    private static final int MDAT_HEADER = 16; // 64-bit size: a long show passes 4 GiB

    private Mp4Faststart() {
    }

    /** Writes the progressive file to {@code out}; returns its length. */
    public static long write(FragmentedIndex index, FileChannel in, WritableByteChannel out) throws IOException {
        Map<Integer, List<FragmentedIndex.Run>> byTrack = new LinkedHashMap<>();
        long payload = 0;
        List<long[]> copies = new ArrayList<>(); // {source offset, length, destination offset within the mdat payload}
        Map<FragmentedIndex.Run, Long> runOffsets = new java.util.IdentityHashMap<>();
        for (FragmentedIndex.Run run : index.runs()) {
            if (run.samples().isEmpty()) {
                continue;
            }
            byTrack.computeIfAbsent(run.trackId(), k -> new ArrayList<>()).add(run);
            FragmentedIndex.SampleRef first = run.samples().get(0);
            FragmentedIndex.SampleRef last = run.samples().get(run.samples().size() - 1);
            long length = last.offset() + last.size() - first.offset();
            copies.add(new long[]{first.offset(), length});
            runOffsets.put(run, payload);
            payload += length;
        }
        BoxWriter head = new BoxWriter(64 * 1024);
        head.open("ftyp").fourCc("isom").u32(0x200).fourCc("isom").fourCc("iso2").fourCc("avc1").fourCc("mp41").close();
        byte[] moov = moov(index.moov(), byTrack, runOffsets, 0);
        long dataStart = head.position() + moov.length + MDAT_HEADER;
        moov = moov(index.moov(), byTrack, runOffsets, dataStart); // same size: chunk offsets are fixed-width
        head.bytes(moov);
        head.u32(1).fourCc("mdat").u64(MDAT_HEADER + payload);
        ByteBuffer h = ByteBuffer.wrap(head.toByteArray());
        while (h.hasRemaining()) {
            out.write(h);
        }
        for (long[] c : copies) {
            long done = 0;
            while (done < c[1]) {
                long n = in.transferTo(c[0] + done, c[1] - done, out);
                if (n <= 0) {
                    throw new IOException("source ended while copying samples");
                }
                done += n;
            }
        }
        return dataStart + payload;
    }

    private static byte[] moov(byte[] source, Map<Integer, List<FragmentedIndex.Run>> byTrack,
                               Map<FragmentedIndex.Run, Long> runOffsets, long dataStart) {
        ByteBuffer src = ByteBuffer.wrap(source);
        List<FragmentedIndex.Box> top = FragmentedIndex.Box.children(src, 8, source.length);
        Map<Integer, Track> tracks = new LinkedHashMap<>();
        byte[] mvhd = null;
        for (FragmentedIndex.Box b : top) {
            if (b.type().equals("mvhd")) {
                mvhd = slice(source, b);
            } else if (b.type().equals("trak")) {
                Track t = Track.of(source, b);
                if (byTrack.containsKey(t.id)) {
                    tracks.put(t.id, t);
                }
            }
        }
        if (mvhd == null || tracks.isEmpty()) {
            throw new Fmp4Exception("moov without mvhd or without a track that has samples");
        }
        double earliest = Double.MAX_VALUE;
        for (Track t : tracks.values()) {
            earliest = Math.min(earliest, byTrack.get(t.id).get(0).baseDecodeTime() / (double) t.timescale);
        }
        long movieDuration = 0;
        BoxWriter w = new BoxWriter(64 * 1024);
        w.open("moov");
        int mvhdAt = w.position();
        w.bytes(mvhd);
        for (Track t : tracks.values()) {
            List<FragmentedIndex.Run> runs = byTrack.get(t.id);
            long mediaDuration = 0;
            for (FragmentedIndex.Run r : runs) {
                for (FragmentedIndex.SampleRef s : r.samples()) {
                    mediaDuration += Integer.toUnsignedLong(s.duration());
                }
            }
            long delay = Math.round((runs.get(0).baseDecodeTime() / (double) t.timescale - earliest) * MOVIE_TIMESCALE);
            long trackDuration = mediaDuration * MOVIE_TIMESCALE / t.timescale + delay;
            movieDuration = Math.max(movieDuration, trackDuration);
            w.open("trak");
            int tkhdAt = w.position();
            w.bytes(t.tkhd);
            w.putU32(tkhdAt + 28, trackDuration);
            if (delay > 0) {
                // 8.6.6 EditListBox: an empty edit for the delay, then the whole media from its start
                w.open("edts").openFull("elst", 0, 0).u32(2).u32(delay).u32(-1).u32(0x00010000)
                        .u32(trackDuration - delay).u32(0).u32(0x00010000).close().close();
            }
            w.open("mdia");
            int mdhdAt = w.position();
            w.bytes(t.mdhd);
            w.putU32(mdhdAt + 24, mediaDuration);
            w.bytes(t.hdlr);
            w.open("minf");
            w.bytes(t.mediaHeader).bytes(t.dinf);
            w.open("stbl");
            w.bytes(t.stsd);
            sampleTables(w, runs, runOffsets, dataStart);
            w.close().close().close().close(); // stbl, minf, mdia, trak
        }
        w.close();
        w.putU32(mvhdAt + 24, movieDuration);
        return w.toByteArray();
    }

    private static void sampleTables(BoxWriter w, List<FragmentedIndex.Run> runs, Map<FragmentedIndex.Run, Long> runOffsets,
                                     long dataStart) {
        List<FragmentedIndex.SampleRef> all = new ArrayList<>();
        for (FragmentedIndex.Run r : runs) {
            all.addAll(r.samples());
        }
        // 8.6.1.2 TimeToSampleBox: run-length durations
        List<long[]> stts = runLength(all, s -> Integer.toUnsignedLong(s.duration()));
        w.openFull("stts", 0, 0).u32(stts.size());
        for (long[] e : stts) {
            w.u32(e[0]).u32(e[1]);
        }
        w.close();
        if (all.stream().anyMatch(s -> s.compositionOffset() != 0)) {
            // 8.6.1.3 CompositionOffsetBox version 1: signed offsets
            List<long[]> ctts = runLength(all, s -> s.compositionOffset());
            w.openFull("ctts", 1, 0).u32(ctts.size());
            for (long[] e : ctts) {
                w.u32(e[0]).u32(e[1]);
            }
            w.close();
        }
        if (all.stream().anyMatch(s -> !s.sync())) {
            List<Integer> sync = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).sync()) {
                    sync.add(i + 1);
                }
            }
            w.openFull("stss", 0, 0).u32(sync.size()); // 8.6.2 SyncSampleBox, sample numbers from 1
            for (int n : sync) {
                w.u32(n);
            }
            w.close();
        }
        // 8.7.4 SampleToChunkBox: one chunk per run, entries only where the count changes
        List<long[]> stsc = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            int count = runs.get(i).samples().size();
            if (stsc.isEmpty() || stsc.get(stsc.size() - 1)[1] != count) {
                stsc.add(new long[]{i + 1, count});
            }
        }
        w.openFull("stsc", 0, 0).u32(stsc.size());
        for (long[] e : stsc) {
            w.u32(e[0]).u32(e[1]).u32(1);
        }
        w.close();
        w.openFull("stsz", 0, 0).u32(0).u32(all.size()); // 8.7.3
        for (FragmentedIndex.SampleRef s : all) {
            w.u32(s.size());
        }
        w.close();
        w.openFull("co64", 0, 0).u32(runs.size()); // 8.7.5 ChunkLargeOffsetBox
        for (FragmentedIndex.Run r : runs) {
            w.u64(dataStart + runOffsets.get(r));
        }
        w.close();
    }

    private static List<long[]> runLength(List<FragmentedIndex.SampleRef> samples,
                                          java.util.function.ToLongFunction<FragmentedIndex.SampleRef> value) {
        List<long[]> out = new ArrayList<>();
        for (FragmentedIndex.SampleRef s : samples) {
            long v = value.applyAsLong(s);
            if (!out.isEmpty() && out.get(out.size() - 1)[1] == v) {
                out.get(out.size() - 1)[0]++;
            } else {
                out.add(new long[]{1, v});
            }
        }
        return out;
    }

    private static byte[] slice(byte[] b, FragmentedIndex.Box box) {
        return java.util.Arrays.copyOfRange(b, box.start(), box.end());
    }

    /** The parts of a trak in the init segment that carry over unchanged. */
    private record Track(int id, int timescale, byte[] tkhd, byte[] mdhd, byte[] hdlr, byte[] mediaHeader, byte[] dinf,
                         byte[] stsd) {
        static Track of(byte[] moov, FragmentedIndex.Box trak) {
            ByteBuffer b = ByteBuffer.wrap(moov);
            byte[] tkhd = null, mdhd = null, hdlr = null, mediaHeader = null, dinf = null, stsd = null;
            int id = -1, timescale = 0;
            for (FragmentedIndex.Box x : FragmentedIndex.Box.children(b, trak.start() + 8, trak.end())) {
                if (x.type().equals("tkhd")) {
                    tkhd = slice(moov, x);
                    id = b.getInt(x.start() + 20);
                } else if (x.type().equals("mdia")) {
                    for (FragmentedIndex.Box m : FragmentedIndex.Box.children(b, x.start() + 8, x.end())) {
                        switch (m.type()) {
                            case "mdhd" -> {
                                mdhd = slice(moov, m);
                                timescale = b.getInt(m.start() + 20);
                            }
                            case "hdlr" -> hdlr = slice(moov, m);
                            case "minf" -> {
                                for (FragmentedIndex.Box n : FragmentedIndex.Box.children(b, m.start() + 8, m.end())) {
                                    switch (n.type()) {
                                        case "vmhd", "smhd" -> mediaHeader = slice(moov, n);
                                        case "dinf" -> dinf = slice(moov, n);
                                        case "stbl" -> {
                                            for (FragmentedIndex.Box s : FragmentedIndex.Box.children(b, n.start() + 8, n.end())) {
                                                if (s.type().equals("stsd")) {
                                                    stsd = slice(moov, s);
                                                }
                                            }
                                        }
                                        default -> {
                                        }
                                    }
                                }
                            }
                            default -> {
                            }
                        }
                    }
                }
            }
            if (tkhd == null || mdhd == null || hdlr == null || mediaHeader == null || dinf == null || stsd == null || timescale <= 0) {
                throw new Fmp4Exception("trak without the boxes a sample table needs");
            }
            return new Track(id, timescale, tkhd, mdhd, hdlr, mediaHeader, dinf, stsd);
        }
    }
}
