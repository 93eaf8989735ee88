package io.openlive.server.realtime;

import io.openlive.engine.realtime.Recovery;
import io.openlive.engine.realtime.RoomMessage;
import io.openlive.protocol.realtime.Envelopes;

import java.util.List;

/**
 * What a viewer reconnecting with {@code since} receives: the room's messages it missed, only on topics its host app
 * may subscribe to (app B's viewers never see app A's component topics), in pages of at most {@link #PAGE_CHARS} sent
 * through the connection's writability-aware path, and at most {@link #MAX_CHARS} in all; past that the viewer is told to
 * resync instead (a 188-byte request once drew a 4 MB frame). Then the live messages that arrived meanwhile.
 *
 * <p>Runs on the room's event loop. Usage: {@code HistoryReplay.send(c, allowed, since, recovery, live)}.
 */
final class HistoryReplay {
    /** Largest replay frame, characters of JSON. */
    static final int PAGE_CHARS = 32 * 1024;
    /** Most history one reconnect replays; more means a resync. */
    static final int MAX_CHARS = 512 * 1024;

    private HistoryReplay() {
    }

    /** Whether {@code m} is for this connection's app: every message but a system message scoped to another app. */
    static boolean forApp(RealtimeConnection c, RoomMessage m) {
        return !m.topic().equals("system") || !m.json().contains("\"app\"") || !m.json().contains("\"unmount\"")
                || m.json().contains("\"app\":\"" + c.appId + "\"");
    }

    /**
     * @return the highest seq the connection is now through (what it was sent, and what it skipped as not for it); live
     *         messages at or below it must not reach it again. {@link RoomChannel#NO_RECOVERY} when it was told to resync
     *         instead.
     */
    static long send(RealtimeConnection c, RoomAccess.Topics allowed, long since, Recovery recovery, List<RoomMessage> live) {
        long last = since;
        long total = 0;
        for (RoomMessage m : recovery.messages()) {
            last = Math.max(last, m.seq());
            if (allowed.maySubscribe(m.topic()) && forApp(c, m)) {
                total += m.json().length();
            }
        }
        if (total > MAX_CHARS) {
            c.send(Envelopes.resync("history since seq " + since + " is over the replay limit"));
            return RoomChannel.NO_RECOVERY;
        }
        StringBuilder page = new StringBuilder("[");
        for (RoomMessage m : recovery.messages()) {
            if (allowed.maySubscribe(m.topic()) && forApp(c, m)) {
                page = add(c, page, jsonFor(c, m));
            }
        }
        long through = last;
        for (RoomMessage m : live) {
            if (m.seq() == 0 ? c.wants(m.topic()) : m.seq() > last && (c.wants(m.topic()) || m.topic().equals("system"))) {
                page = add(c, page, jsonFor(c, m));
            }
            through = Math.max(through, m.seq());
        }
        flush(c, page);
        return through;
    }

    /** What this connection is sent of {@code m}: an anonymous viewer sees only its own app's count in presence, as in batches. */
    private static String jsonFor(RealtimeConnection c, RoomMessage m) {
        return m.topic().equals("presence") && c.viewer.anonymous()
                ? new String(RoomChannel.presenceFor(c.appId, m), java.nio.charset.StandardCharsets.UTF_8) : m.json();
    }

    private static StringBuilder add(RealtimeConnection c, StringBuilder page, String json) {
        if (page.length() > 1 && page.length() + json.length() + 1 > PAGE_CHARS) {
            flush(c, page);
            page = new StringBuilder("[");
        }
        return page.append(json).append(',');
    }

    private static void flush(RealtimeConnection c, StringBuilder page) {
        if (page.length() > 1) {
            page.setCharAt(page.length() - 1, ']');
            c.send(page.toString());
        }
    }
}
