package io.openlive.engine.hls;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a room's segmenter has published at one moment, immutable, read by any thread: the complete segments of the
 * window, the parts of the segment in progress, the init segments they refer to.
 *
 * @param generation            names this segmenter's run in every URI, so a later run never reuses a cached name
 * @param segments              complete segments, oldest first, consecutive sequence numbers
 * @param nextMsn               sequence number of the segment in progress
 * @param pending               its parts so far
 * @param pendingDiscontinuity  the segment in progress follows a discontinuity
 * @param pendingInitVersion    the init segment the segment in progress uses
 * @param initMedia             init segments by version, those the window refers to, as responses send them
 * @param discontinuitySequence discontinuities that left the window
 * @param targetDuration        EXT-X-TARGETDURATION in whole seconds
 * @param ended                 the stream is over; nothing more comes
 */
public record HlsWindow(String generation, List<HlsSegment> segments, long nextMsn, List<HlsPart> pending,
                        boolean pendingDiscontinuity, int pendingInitVersion, Map<Integer, SharedBytes> initMedia,
                        long discontinuitySequence, int targetDuration, boolean ended) {

    /** Init segments by version, as bytes. */
    public Map<Integer, byte[]> inits() {
        Map<Integer, byte[]> out = new HashMap<>();
        initMedia.forEach((v, b) -> out.put(v, b.bytes()));
        return Map.copyOf(out);
    }

    public long firstMsn() {
        return segments.isEmpty() ? nextMsn : segments.get(0).msn();
    }

    public HlsSegment segment(long msn) {
        long i = msn - firstMsn();
        return i >= 0 && i < segments.size() ? segments.get((int) i) : null;
    }

    /** A part of a complete segment in the window, or of the segment in progress; null when not (or no longer) held. */
    public HlsPart part(long msn, long index) {
        List<HlsPart> parts = msn == nextMsn ? pending : segment(msn) == null ? List.of() : segment(msn).parts();
        return index >= 0 && index < parts.size() ? parts.get((int) index) : null;
    }

    /**
     * Whether a blocking request is answered by this window (RFC 8216bis 6.2.5.2): segment {@code msn} is complete, or with
     * a part index, that part or a later one exists. An ended stream answers everything.
     */
    public boolean satisfies(long msn, long part) {
        if (ended) {
            return true;
        }
        if (part < 0) {
            return msn < nextMsn;
        }
        if (msn < nextMsn - 1 || (msn == nextMsn && part < pending.size())) {
            return true;
        }
        if (msn == nextMsn - 1) { // the last complete segment: its part, or else the first part after it
            HlsSegment last = segment(msn);
            return !pending.isEmpty() || (last != null && part < last.parts().size());
        }
        return false;
    }

    /** The part after the newest one, which EXT-X-PRELOAD-HINT names. */
    public long hintIndex() {
        return pending.size();
    }
}
