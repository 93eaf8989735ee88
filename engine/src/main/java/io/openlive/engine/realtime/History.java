package io.openlive.engine.realtime;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** A room's recent durable messages, bounded by count and by age, for clients that reconnect with {@code since}. */
public final class History {
    private final int maxCount;
    private final long maxAgeMillis;
    private final ArrayDeque<RoomMessage> messages = new ArrayDeque<>();
    private long last;

    public History(int maxCount, long maxAgeMillis) {
        this.maxCount = maxCount;
        this.maxAgeMillis = maxAgeMillis;
    }

    public synchronized void add(RoomMessage m) {
        messages.addLast(m);
        last = Math.max(last, m.seq());
        while (messages.size() > maxCount) {
            messages.removeFirst();
        }
    }

    public synchronized Recovery since(long seq, long now) {
        while (!messages.isEmpty() && messages.peekFirst().at() < now - maxAgeMillis) {
            messages.removeFirst();
        }
        return since(new ArrayList<>(messages), seq, last);
    }

    /**
     * Recovery from an ordered list of kept messages: a gap when the first kept one is past {@code seq + 1}, or when the
     * client is ahead of the room (the room's numbering restarted: a one-node server restarted, Redis lost its keys).
     */
    public static Recovery since(List<RoomMessage> kept, long seq, long last) {
        if (seq > last) {
            return new Recovery(List.of(), true, last);
        }
        if (seq == last) {
            return new Recovery(List.of(), false, last);
        }
        long first = kept.isEmpty() ? last + 1 : kept.get(0).seq();
        if (first > seq + 1) {
            return new Recovery(List.of(), true, last);
        }
        return new Recovery(kept.stream().filter(m -> m.seq() > seq).toList(), false, last);
    }
}
