package io.openlive.engine.hls;

import io.openlive.protocol.hls.PlaylistWriter;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A room's media playlists, rendered once per {@link HlsWindow} and {@link Kind} and then shared, as {@link SharedBytes},
 * by every request that sees that window: a new part releases every blocking reload waiting for it at once, all with
 * the same window, and each used to render the same text again. Windows are immutable snapshots, so a window's identity
 * is its key.
 *
 * <p>Holds the {@value #WINDOWS} windows last asked for, newest first: requests answered just after a publish may still
 * carry the window before it, and those should not push the newest one out. It never holds more, whatever the traffic,
 * and it lives and dies with its {@link Segmenter}. Thread-safe: each kind of each window is rendered by one caller, and
 * callers that meet the rendering wait for it. Usage: {@code SharedBytes text = playlists.get(window, Kind.FMP4);}
 */
public final class RenderedPlaylists {
    /** Windows held at once. */
    static final int WINDOWS = 4;

    /** What a playlist request asks for. */
    public enum Kind {
        /** LL-HLS over fMP4, every segment of the window. */
        FMP4,
        /** LL-HLS over fMP4 as a delta update ({@code _HLS_skip=YES}). */
        FMP4_DELTA,
        /** Classic HLS over MPEG-TS. */
        TS
    }

    private final String roomId;
    private final HlsConfig config;
    /** Newest first; replaced whole, never changed in place. */
    private volatile Rendered[] recent = new Rendered[0];
    private final AtomicLong renders = new AtomicLong();

    public RenderedPlaylists(String roomId, HlsConfig config) {
        this.roomId = roomId;
        this.config = config;
    }

    /** The playlist of {@code w} as {@code kind}, rendered on the first call for that window and kind. Any thread. */
    public SharedBytes get(HlsWindow w, Kind kind) {
        return rendered(w).get(kind);
    }

    /** How many playlists were rendered: one per window and kind asked for, whatever the number of requests. */
    public long renders() {
        return renders.get();
    }

    private Rendered rendered(HlsWindow w) {
        for (Rendered r : recent) {
            if (r.window == w) {
                return r;
            }
        }
        synchronized (this) {
            Rendered[] held = recent;
            for (Rendered r : held) {
                if (r.window == w) {
                    return r;
                }
            }
            Rendered r = new Rendered(w);
            Rendered[] next = new Rendered[Math.min(WINDOWS, held.length + 1)];
            next[0] = r;
            System.arraycopy(held, 0, next, 1, next.length - 1);
            recent = next;
            if (held.length == WINDOWS) {
                held[WINDOWS - 1].drop(); // pushed out: its playlists get no new views
            }
            return r;
        }
    }

    /** Frees every rendered playlist's direct copy (the room's segmenter is retired). */
    public synchronized void dropAll() {
        for (Rendered r : recent) {
            r.drop();
        }
        recent = new Rendered[0];
    }

    private SharedBytes render(HlsWindow w, Kind kind) {
        renders.incrementAndGet();
        String text = kind == Kind.TS ? PlaylistWriter.write(HlsPlaylists.ts(roomId, w), false)
                : PlaylistWriter.write(HlsPlaylists.fmp4(roomId, w, config), kind == Kind.FMP4_DELTA);
        return new SharedBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    /** One window's playlists, each kind filled on first use. */
    private final class Rendered {
        final HlsWindow window;
        final AtomicReferenceArray<SharedBytes> kinds = new AtomicReferenceArray<>(Kind.values().length);

        Rendered(HlsWindow window) {
            this.window = window;
        }

        void drop() {
            for (int i = 0; i < kinds.length(); i++) {
                SharedBytes b = kinds.get(i);
                if (b != null) {
                    b.drop();
                }
            }
        }

        SharedBytes get(Kind kind) {
            SharedBytes b = kinds.get(kind.ordinal());
            if (b != null) {
                return b;
            }
            synchronized (this) {
                b = kinds.get(kind.ordinal());
                if (b == null) {
                    b = render(window, kind);
                    kinds.set(kind.ordinal(), b);
                }
                return b;
            }
        }
    }
}
