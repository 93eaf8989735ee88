package io.openlive.engine.hls;

import io.netty.util.concurrent.EventExecutor;
import io.openlive.engine.stream.Frame;
import io.openlive.engine.stream.FrameSink;
import io.openlive.engine.stream.StreamReader;
import io.openlive.kernel.codec.AacConfig;
import io.openlive.kernel.codec.AvcConfig;
import io.openlive.kernel.codec.CodecConfigException;
import io.openlive.kernel.codec.HevcConfig;
import io.openlive.kernel.codec.Sample;
import io.openlive.kernel.codec.VideoCodec;
import io.openlive.kernel.codec.VideoConfig;
import io.openlive.kernel.codec.VideoTag;
import io.openlive.kernel.fmp4.Fmp4Fragment;
import io.openlive.kernel.fmp4.Fmp4Init;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Cuts one room's live stream into HLS segments and LL-HLS parts, in memory. It reads the stream hub like any viewer
 * (a {@link FrameSink}), so it starts at the latest key frame and never slows the publisher. Segments start on key
 * frames once {@link HlsConfig#targetDuration()} has passed; parts close before they would pass
 * {@link HlsConfig#partTarget()}. Each part is one CMAF fragment; a segment is its parts back to back. A publisher drop
 * (at once, not when it returns) or new sequence headers end the segment and mark a discontinuity (a new init segment
 * when the headers differ). The window keeps {@link HlsConfig#windowSegments()} segments.
 *
 * <p>All cutting runs on the sink's executor; readers on other threads see immutable {@link HlsWindow}s and wait for
 * parts with {@link #await}. Video timescale 90 kHz; audio is timed by counting AAC frames from the sample rate, and
 * re-anchored on the stream's timestamps when they drift by more than a frame: a frame that would overlap what was
 * counted is dropped, a short gap is bridged by the frame before it, so the audio has no holes for players to stall
 * in. Video is H.264 or H.265 (whichever the
 * latest sequence header is), audio AAC; other codecs are left out with one log line. Usage:
 * {@code Segmenter s = new Segmenter("r1", config, loop); s.attach(hub.play("r1", s));}
 */
public final class Segmenter implements FrameSink {
    private static final Logger log = LoggerFactory.getLogger(Segmenter.class);
    private static final int TIMESCALE = Fmp4Init.VIDEO_TIMESCALE;
    /** AAC frames held for the video that closes their part: about 10 s at 48 kHz. */
    private static final int MAX_QUEUED_AUDIO = 500;
    /** Audio gaps up to this long are bridged by the frame before them (as the browser SDK's remuxer does). */
    private static final int BRIDGED_AUDIO_GAP_MS = 500;

    private final String roomId;
    private final HlsConfig config;
    private final EventExecutor executor;
    private final String generation;
    private final long createdNanos = System.nanoTime();
    private final long target90;
    private final long partTarget90;
    /**
     * Frames, and {@link #PUBLISHER_DROPPED} / {@link #PUBLISHER_RETURNED} where the publisher dropped or came back,
     * waiting for {@link #flush()}.
     */
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private static final Object PUBLISHER_RETURNED = new Object();
    private static final Object PUBLISHER_DROPPED = new Object();

    private VideoConfig video;
    private AacConfig aac;
    private byte[] videoRecord;
    private byte[] aacRecord;
    private boolean configChanged;
    private int initVersion = -1;
    private final Map<Integer, SharedBytes> inits = new HashMap<>();
    private boolean videoRefusedLogged;
    private boolean audioRefusedLogged;

    private Sample pendingVideo;
    private int lastVideoDuration = TIMESCALE / 30;
    private long audioNext = Long.MIN_VALUE;
    private final ArrayDeque<Sample> audioQueue = new ArrayDeque<>();

    private boolean started;
    private long msn;
    private long segmentStart90;
    private Instant segmentDateTime;
    private boolean segmentDiscontinuity;
    private boolean nextDiscontinuity;
    private int segmentInit;
    private final List<HlsPart> segmentParts = new ArrayList<>();
    private final List<Sample> segmentVideo = new ArrayList<>();
    private final List<Sample> segmentAudio = new ArrayList<>();

    private final List<Sample> partVideo = new ArrayList<>();
    private final List<Sample> partAudio = new ArrayList<>();
    private long partStart90 = -1;
    private long partEnd90;
    private boolean partIndependent;
    private long fragmentSequence = 1;

    private final ArrayDeque<HlsSegment> window = new ArrayDeque<>();
    private long discontinuitySequence;
    private int targetSeconds;
    private long wallBaseMillis;
    private long timeBase90 = Long.MIN_VALUE;

    private volatile HlsWindow published;
    private volatile boolean ended;
    private volatile long lastUsedNanos = System.nanoTime();
    private volatile StreamReader reader;
    private PartListener listener;
    private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();
    private final AtomicInteger waiterCount = new AtomicInteger();
    private final RenderedPlaylists playlists;

    private record Waiter(long msn, long part, CompletableFuture<HlsWindow> future) {
    }

    public Segmenter(String roomId, HlsConfig config, EventExecutor executor) {
        this.roomId = roomId;
        this.config = config;
        this.executor = executor;
        this.generation = Long.toString(System.currentTimeMillis(), 36) + Integer.toString(System.identityHashCode(this) & 0xFFF, 36);
        this.target90 = config.targetDuration().toMillis() * 90;
        this.partTarget90 = config.partTarget().toMillis() * 90;
        this.targetSeconds = (int) Math.ceil(config.targetDuration().toMillis() / 1000.0);
        this.playlists = new RenderedPlaylists(roomId, config);
    }

    /** Also hands every completed part to {@code l}; set before {@link #attach}. */
    public Segmenter listen(PartListener l) {
        this.listener = l;
        return this;
    }

    /** The hub's reader feeding this segmenter; detached by {@link #stop()}. */
    public void attach(StreamReader reader) {
        this.reader = reader;
    }

    public String roomId() {
        return roomId;
    }

    public HlsConfig config() {
        return config;
    }

    /** The latest published window, or null before the first part. */
    public HlsWindow window() {
        return published;
    }

    /** This room's playlists, each rendered once per window. */
    public RenderedPlaylists playlists() {
        return playlists;
    }

    public boolean isEnded() {
        return ended;
    }

    /** Marks a request for this room, which keeps the segmenter from its idle timeout. */
    public void touch() {
        lastUsedNanos = System.nanoTime();
    }

    long idleNanos(long now) {
        return now - lastUsedNanos;
    }

    /**
     * A window once it {@link HlsWindow#satisfies satisfies} the request: at once if it does now, else when a part or
     * segment completes or the stream ends. Returns null when {@link HlsConfig#maxWaiters()} requests already wait; the
     * caller times the future out and cancels it.
     */
    public CompletableFuture<HlsWindow> await(long msn, long part) {
        HlsWindow w = published;
        if (w != null && w.satisfies(msn, part)) {
            return CompletableFuture.completedFuture(w);
        }
        if (waiterCount.incrementAndGet() > config.maxWaiters()) {
            waiterCount.decrementAndGet();
            return null;
        }
        Waiter waiter = new Waiter(msn, part, new CompletableFuture<>());
        waiters.add(waiter);
        waiter.future.whenComplete((r, e) -> {
            if (waiters.remove(waiter)) {
                waiterCount.decrementAndGet();
            }
        });
        w = published; // published between the first look and the registration: no wake-up would come
        if (w != null && w.satisfies(msn, part)) {
            waiter.future.complete(w);
        }
        return waiter.future;
    }

    public int waiting() {
        return waiterCount.get();
    }

    /** Stops reading the stream; what was read becomes the last part and segment, and the last window stays readable. */
    public void stop() {
        executor.execute(() -> {
            StreamReader r = reader;
            if (r != null) {
                r.detach();
            }
            if (!ended) {
                flush(); // what was read is cut and kept: a recording stopped now ends with its last frames
                if (started) {
                    endSegment();
                }
                ended = true;
                publish();
                if (listener != null) {
                    listener.onEnd("stopped");
                }
            }
        });
    }

    /**
     * Stops, then frees the direct copies of everything held (segments, parts, init segments, rendered playlists): for
     * a segmenter that no new request can find. A request still holding its window answers 404 for what it asks next.
     */
    public void retire() {
        stop();
        executor.execute(() -> {
            window.forEach(HlsSegment::drop);
            segmentParts.forEach(p -> p.media().drop());
            inits.values().forEach(SharedBytes::drop);
            playlists.dropAll();
        });
    }

    // FrameSink: called on the executor, never under the stream's lock (the reader takes a drain's frames under it and
    // writes them after releasing it). write() only queues; flush(), which ends every drain that wrote, cuts the batch.

    @Override
    public java.util.concurrent.Executor executor() {
        return executor;
    }

    @Override
    public boolean inExecutor() {
        return executor.inEventLoop();
    }

    @Override
    public boolean isWritable() {
        return true;
    }

    @Override
    public int write(Frame frame) {
        frame.retain();
        queue.add(frame);
        return Math.max(1, frame.size());
    }

    @Override
    public void flush() {
        Object o;
        while ((o = queue.poll()) != null) {
            if (o == PUBLISHER_DROPPED || o == PUBLISHER_RETURNED) {
                endSession(); // after a drop, the return finds nothing to end: the discontinuity is already marked
                continue;
            }
            Frame f = (Frame) o;
            try {
                onFrame(f);
            } finally {
                f.release();
            }
        }
    }

    @Override
    public void close(String reason) {
        flush();
        if (started) {
            endSegment();
        }
        ended = true;
        log.info("[hls room={}] segmenter ended: {}", roomId, reason);
        publish();
        if (listener != null) {
            listener.onEnd(reason);
        }
    }

    /** Marks the place among the queued frames; the segment is ended there, in {@link #flush()}. */
    @Override
    public void publisherReturned() {
        queue.add(PUBLISHER_RETURNED);
    }

    /**
     * Marks the place among the queued frames; in {@link #flush()} the part in flight and its segment are completed
     * there (shorter than their targets, which a last part and segment may be), so the recorder writes the publisher's
     * last frames now and HLS viewers get them, instead of both waiting out the grace period for a frame past the part.
     */
    @Override
    public void publisherDropped() {
        queue.add(PUBLISHER_DROPPED);
    }

    @Override
    public long requestedAtNanos() {
        return createdNanos;
    }

    @Override
    public String protocol() {
        return "hls";
    }

    private void onFrame(Frame frame) {
        switch (frame.kind()) {
            case VIDEO_CONFIG -> onVideoConfig(FrameSamples.videoRecord(frame.body()), frame);
            case AUDIO_CONFIG -> onAudioConfig(FrameSamples.aacConfig(frame.body()), frame);
            case KEYFRAME, VIDEO -> onVideo(frame);
            case AUDIO -> onAudio(frame);
            default -> {
            }
        }
    }

    private void onVideoConfig(byte[] record, Frame frame) {
        VideoCodec codec = VideoTag.codec(frame.body());
        if (record == null) {
            refuseVideo("codec " + codec + " is not carried in HLS");
            return;
        }
        if (Arrays.equals(record, videoRecord) && video.codec() == codec) {
            return;
        }
        try {
            VideoConfig parsed = codec == VideoCodec.H265 ? HevcConfig.parse(record) : AvcConfig.parse(record);
            changeConfig();
            video = parsed;
            videoRecord = record;
        } catch (CodecConfigException e) {
            refuseVideo("bad " + codec + " sequence header: " + e.getMessage());
        }
    }

    private void onAudioConfig(byte[] asc, Frame frame) {
        if (asc == null) {
            refuseAudio("codec " + io.openlive.kernel.codec.AudioTag.codecName(frame.body()) + " is not carried in HLS");
            return;
        }
        if (Arrays.equals(asc, aacRecord)) {
            return;
        }
        try {
            AacConfig parsed = AacConfig.parse(asc);
            changeConfig();
            aac = parsed;
            aacRecord = asc;
        } catch (CodecConfigException e) {
            refuseAudio("bad AAC sequence header: " + e.getMessage());
        }
    }

    /**
     * The publisher's session ended (it dropped, or came back without a drop being seen): the segment in progress ends
     * with its last frame, and the next one starts after a discontinuity. Nothing to do when nothing was cut since.
     */
    private void endSession() {
        if (started || pendingVideo != null) {
            endSegment();
            nextDiscontinuity = true;
        }
    }

    /** New sequence headers: what follows needs a new init segment, after a discontinuity. */
    private void changeConfig() {
        if (started) {
            endSegment();
            nextDiscontinuity = true;
        }
        configChanged = true;
    }

    private void refuseVideo(String why) {
        if (!videoRefusedLogged) {
            videoRefusedLogged = true;
            log.info("[hls room={}] video left out: {}", roomId, why);
        }
    }

    private void refuseAudio(String why) {
        if (!audioRefusedLogged) {
            audioRefusedLogged = true;
            log.info("[hls room={}] audio left out: {}", roomId, why);
        }
    }

    private void onVideo(Frame frame) {
        if (video == null || VideoTag.codec(frame.body()) != video.codec()) {
            return; // no configuration yet, or frames of another codec than the last sequence header's
        }
        FrameSamples.CodedFrame coded = FrameSamples.videoFrame(frame.body());
        if (coded == null) {
            return;
        }
        boolean key = frame.kind() == Frame.Kind.KEYFRAME;
        if (!started && pendingVideo == null && !key) {
            return; // a segment starts on a key frame
        }
        long dts = frame.timestamp() * 90L;
        anchorClock(dts, frame);
        if (pendingVideo != null) {
            int duration = (int) Math.max(1, Math.min(dts - pendingVideo.decodeTime(), 10L * TIMESCALE));
            commitVideo(withDuration(pendingVideo, duration));
        }
        pendingVideo = new Sample(dts, 0, coded.compositionMs() * 90, key, coded.data());
    }

    private void onAudio(Frame frame) {
        if (aac == null || (video != null && !started && pendingVideo == null)) {
            return; // with video, a segment starts on its key frame
        }
        byte[] raw = FrameSamples.aacFrame(frame.body());
        if (raw == null) {
            return;
        }
        int rate = aac.sampleRate();
        long stamped = frame.timestamp() * (long) rate / 1000;
        if (audioNext == Long.MIN_VALUE) {
            audioNext = stamped;
        } else if (stamped < audioNext - AacConfig.FRAME_SAMPLES) {
            if (audioNext - stamped <= rate) {
                return; // more than a frame into time already counted: a clock slower than its sample rate, a jitter
            }
            audioNext = stamped; // the timestamps stepped back by more than a second: count from them again
        } else if (stamped > audioNext + AacConfig.FRAME_SAMPLES) {
            // a gap of more than a frame (a publisher's clock faster than its sample rate, a dropped frame, a loop): a
            // short one is bridged by the previous frame, since a hole in the audio is a hole in what a browser has
            // buffered, and players stall there; a long one (the encoder paused) stays a gap
            // (the frame before went out with a closed part: this one is counted on, and the next one bridges the gap)
            Sample last = audioQueue.peekLast();
            if (stamped - audioNext > rate * BRIDGED_AUDIO_GAP_MS / 1000) {
                audioNext = stamped;
            } else if (last != null) {
                audioQueue.pollLast();
                audioQueue.add(withDuration(last, (int) (stamped - last.decodeTime())));
                audioNext = stamped;
            }
        }
        Sample s = new Sample(audioNext, AacConfig.FRAME_SAMPLES, 0, true, raw);
        audioNext += AacConfig.FRAME_SAMPLES;
        if (video == null) {
            long t90 = to90(s.decodeTime());
            anchorClock(t90, frame);
            cut(t90, AacConfig.FRAME_SAMPLES * (long) TIMESCALE / rate, true);
            if (partStart90 < 0) {
                partStart90 = t90;
                partIndependent = true;
            }
            partEnd90 = t90 + AacConfig.FRAME_SAMPLES * (long) TIMESCALE / rate;
        }
        audioQueue.add(s);
        if (audioQueue.size() > MAX_QUEUED_AUDIO) {
            audioQueue.poll(); // video stopped coming: audio cannot wait for it forever
        }
    }

    private void commitVideo(Sample s) {
        lastVideoDuration = s.duration();
        cut(s.decodeTime(), s.duration(), s.keyframe());
        if (partStart90 < 0) {
            partStart90 = s.decodeTime();
            partIndependent = s.keyframe();
        }
        partVideo.add(s);
        partEnd90 = s.decodeTime() + s.duration();
    }

    /** Before a sample at {@code t90} lasting {@code duration90}: start, or end the part and maybe the segment. */
    private void cut(long t90, long duration90, boolean randomAccess) {
        if (!started) {
            startSegment(t90);
        } else if (randomAccess && t90 - segmentStart90 >= target90) {
            closePart(t90);
            closeSegment();
            startSegment(t90);
        } else if (partStart90 >= 0 && t90 + duration90 - partStart90 > partTarget90) {
            closePart(t90);
        }
    }

    private void startSegment(long t90) {
        started = true;
        segmentStart90 = t90;
        segmentDateTime = Instant.ofEpochMilli(wallBaseMillis + (t90 - timeBase90) / 90);
        segmentDiscontinuity = nextDiscontinuity;
        nextDiscontinuity = false;
        if (configChanged || initVersion < 0) {
            configChanged = false;
            initVersion++;
            inits.put(initVersion, new SharedBytes(Fmp4Init.of(video, aac)));
        }
        segmentInit = initVersion;
    }

    /** Ends the segment in progress now (publisher gone, new headers, stream over), its last video frame included. */
    private void endSegment() {
        if (pendingVideo != null) {
            commitVideo(withDuration(pendingVideo, lastVideoDuration));
            pendingVideo = null;
        }
        closePart(Long.MAX_VALUE);
        closeSegment();
        started = false;
        audioNext = Long.MIN_VALUE;
        audioQueue.clear();
    }

    /** Closes the part in progress at {@code cut90}: queued audio before the cut goes with it. */
    private void closePart(long cut90) {
        while (!audioQueue.isEmpty() && to90(audioQueue.peek().decodeTime()) < cut90) {
            partAudio.add(audioQueue.poll());
        }
        if (partVideo.isEmpty() && partAudio.isEmpty()) {
            return;
        }
        long end90 = cut90 == Long.MAX_VALUE ? partEnd90 : cut90;
        double duration = Math.max(0, end90 - partStart90) / (double) TIMESCALE;
        byte[] bytes = Fmp4Fragment.of(fragmentSequence++, partVideo, partAudio);
        HlsPart part = new HlsPart(msn, segmentParts.size(), duration, partIndependent, bytes);
        segmentParts.add(part);
        segmentVideo.addAll(partVideo);
        segmentAudio.addAll(partAudio);
        partVideo.clear();
        partAudio.clear();
        partStart90 = -1;
        publish();
        if (listener != null) {
            listener.onPart(part, segmentInit, inits.get(segmentInit).bytes());
        }
    }

    private void closeSegment() {
        if (segmentParts.isEmpty()) {
            return;
        }
        double duration = 0;
        for (HlsPart p : segmentParts) {
            duration += p.duration();
        }
        window.add(new HlsSegment(msn, duration, segmentDateTime, segmentDiscontinuity, segmentInit, segmentParts,
                video, aac, segmentVideo, segmentAudio));
        targetSeconds = Math.max(targetSeconds, (int) Math.round(duration)); // EXTINF rounded never exceeds it (4.4.3.1)
        msn++;
        segmentParts.clear();
        segmentVideo.clear();
        segmentAudio.clear();
        List<HlsSegment> gone = new ArrayList<>(1);
        while (window.size() > config.windowSegments()) {
            HlsSegment old = window.poll();
            gone.add(old);
            if (old.discontinuity()) {
                discontinuitySequence++;
            }
        }
        inits.entrySet().removeIf(e -> {
            boolean unused = e.getKey() != initVersion && window.stream().noneMatch(s -> s.initVersion() == e.getKey());
            if (unused) {
                e.getValue().drop();
            }
            return unused;
        });
        publish();
        // after the new window is out: a request still holding the old one finds these dropped and answers 404
        gone.forEach(HlsSegment::drop);
    }

    private void anchorClock(long t90, Frame frame) {
        if (timeBase90 == Long.MIN_VALUE) {
            timeBase90 = t90;
            wallBaseMillis = System.currentTimeMillis() - (System.nanoTime() - frame.arrivedNanos()) / 1_000_000;
        }
    }

    private long to90(long audioTime) {
        return audioTime * TIMESCALE / aac.sampleRate();
    }

    private static Sample withDuration(Sample s, int duration) {
        return new Sample(s.decodeTime(), duration, s.compositionOffset(), s.keyframe(), s.data());
    }

    private void publish() {
        HlsWindow w = new HlsWindow(generation, List.copyOf(window), msn, List.copyOf(segmentParts),
                started ? segmentDiscontinuity : nextDiscontinuity, started ? segmentInit : initVersion,
                Map.copyOf(inits), discontinuitySequence, targetSeconds, ended);
        published = w;
        for (Waiter waiter : waiters) {
            if (w.satisfies(waiter.msn, waiter.part)) {
                waiter.future.complete(w);
            }
        }
    }
}
