package io.openlive.engine.stream;

import io.netty.buffer.Unpooled;
import io.openlive.kernel.flv.FlvReader;
import io.openlive.kernel.flv.FlvTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * A virtual publisher that loops a short FLV clip into one room in real time while no real publisher is on it (the demo
 * room): a {@link Standby}, so a real publisher takes over at once and the loop comes back when it leaves.
 *
 * <p>The clip is parsed once and kept in memory (it is small: {@link #MAX_CLIP_BYTES}). Each tick (every
 * {@link #TICK_MS} ms on the {@link Scheduler}) writes the tags that are due by the clip's own timestamps; each pass
 * of the clip is shifted by the clip's length, so timestamps keep increasing from one loop to the next, and the
 * metadata and sequence headers go out only at the start of each publishing session (sending them again every pass
 * would make players reinitialise their decoders). Usage:
 * {@code SampleLoop loop = new SampleLoop(hub, roomId, SampleLoop.parse(flvBytes), scheduler); loop.start(); … loop.stop();}
 */
public final class SampleLoop implements Standby {
    /** The clip lives in memory for the life of the node. */
    public static final int MAX_CLIP_BYTES = 4 << 20;
    static final long TICK_MS = 20;
    /** At most this many tags per tick, so a stalled timer catches up without a burst that floods the viewers. */
    static final int MAX_TAGS_PER_TICK = 200;
    static final String WHO = "sample loop";

    /** One tag of the clip; {@code config} for metadata and sequence headers. */
    public record Tag(int type, int timestamp, byte[] body, boolean config) {
    }

    private static final Logger log = LoggerFactory.getLogger(SampleLoop.class);

    private final StreamHub hub;
    private final String roomId;
    private final List<Tag> tags;
    private final Scheduler scheduler;
    private final long clipMillis;

    private final Object lock = new Object();
    /** Bumped whenever the loop stops writing (taken over, stopped), so ticks of an older session end themselves. */
    private long generation;
    private boolean stopped;
    private Publisher publisher;
    private long startNanos;
    private int index;
    private long passStart;
    private boolean firstPass;

    public SampleLoop(StreamHub hub, String roomId, List<Tag> tags, Scheduler scheduler) {
        if (tags.stream().noneMatch(t -> !t.config())) {
            throw new IllegalArgumentException("the clip has no audio or video tags");
        }
        this.hub = hub;
        this.roomId = roomId;
        this.tags = List.copyOf(tags);
        this.scheduler = scheduler;
        this.clipMillis = passMillis(this.tags);
    }

    /**
     * How far each pass is shifted: where the longer track ends, each track's end being its last frame's timestamp
     * plus that frame's interval. A pass that starts later than where a track ends leaves a hole in it (the demo clip's
     * audio runs 34 ms past its video); players stall at holes in what they have buffered.
     */
    static long passMillis(List<Tag> tags) {
        int first = tags.stream().mapToInt(Tag::timestamp).min().orElse(0);
        long end = first + 1;
        for (int type : new int[]{8, 9}) { // FLV audio, video (E.4.1 TagType)
            List<Integer> ts = tags.stream().filter(t -> t.type() == type && !t.config()).map(Tag::timestamp).toList();
            if (!ts.isEmpty()) {
                int last = ts.get(ts.size() - 1);
                int interval = ts.size() > 1 ? last - ts.get(ts.size() - 2) : 40;
                end = Math.max(end, last + Math.max(1, interval));
            }
        }
        return end - first;
    }

    /**
     * The tags of an FLV file (E.3 header, E.4 tags), with each one marked when it is configuration: onMetaData (script
     * data), an AVC/HEVC sequence header (E.4.3.1 AVCPacketType 0) or an AAC sequence header (E.4.2.1 AACPacketType 0).
     */
    public static List<Tag> parse(byte[] flv) {
        if (flv.length > MAX_CLIP_BYTES) {
            throw new IllegalArgumentException("clip of " + flv.length + " bytes is over " + MAX_CLIP_BYTES);
        }
        List<Tag> out = new ArrayList<>();
        var in = Unpooled.wrappedBuffer(flv);
        new FlvReader().feed(in, (FlvTag t) -> {
            try {
                byte[] body = new byte[t.data().readableBytes()];
                t.data().getBytes(t.data().readerIndex(), body);
                out.add(new Tag(t.type(), t.timestamp(), body, isConfig(t.type(), body)));
            } finally {
                t.data().release();
            }
        });
        if (in.isReadable()) {
            throw new IllegalArgumentException("clip ends inside a tag");
        }
        return out;
    }

    private static boolean isConfig(int type, byte[] body) {
        return switch (type) {
            case 18 -> true;
            case 9 -> body.length > 1 && ((body[0] & 0x80) != 0 ? (body[0] & 0x0f) == 0 : (body[0] & 0x0f) == 7 && body[1] == 0);
            case 8 -> body.length > 1 && ((body[0] & 0xff) >> 4) == 10 && body[1] == 0;
            default -> false;
        };
    }

    /** Publishes now if no real publisher is on the room; otherwise waits for it to leave. */
    public void start() {
        tryPublish();
    }

    /** Stops for good: the room ends after its grace period unless a real publisher is on it. */
    public void stop() {
        Publisher p;
        synchronized (lock) {
            stopped = true;
            generation++;
            p = publisher;
            publisher = null;
        }
        if (p != null) {
            p.close();
        }
    }

    @Override
    public void takenOver() {
        synchronized (lock) {
            generation++;
            publisher = null;
        }
    }

    @Override
    public void resume() {
        // called on the departing publisher's thread: publish from the scheduler's instead
        scheduler.schedule(1, this::tryPublish);
    }

    private void tryPublish() {
        long gen;
        synchronized (lock) {
            if (stopped || publisher != null) {
                return;
            }
            gen = ++generation;
        }
        Publisher p;
        try {
            p = hub.publishStandby(roomId, WHO, this);
        } catch (PublishRefusedException e) {
            log.debug("[stream room={}] sample loop waits: {}", roomId, e.getMessage());
            return; // a real publisher is on; resume() brings the loop back when it leaves
        }
        synchronized (lock) {
            if (gen != generation) { // taken over or stopped while starting
                return;
            }
            publisher = p;
            startNanos = scheduler.nanoTime();
            index = 0;
            passStart = 0;
            firstPass = true;
        }
        log.info("[stream room={}] sample loop publishing", roomId);
        tick(gen);
    }

    private void tick(long gen) {
        synchronized (lock) {
            if (gen != generation || publisher == null) {
                return;
            }
            long elapsed = (scheduler.nanoTime() - startNanos) / 1_000_000;
            int written = 0;
            while (written < MAX_TAGS_PER_TICK && passStart + tags.get(index).timestamp() <= elapsed) {
                Tag t = tags.get(index);
                if (firstPass || !t.config()) {
                    publisher.write(t.type(), (int) (passStart + t.timestamp()), Unpooled.wrappedBuffer(t.body()));
                    written++;
                }
                if (++index == tags.size()) {
                    index = 0;
                    passStart += clipMillis;
                    firstPass = false;
                }
            }
            if (written > 0) {
                publisher.flush();
            }
        }
        scheduler.schedule(TICK_MS, () -> tick(gen));
    }

    /** Whether the loop is the room's publisher now (not taken over, not stopped). */
    public boolean isPublishing() {
        synchronized (lock) {
            return publisher != null;
        }
    }
}
