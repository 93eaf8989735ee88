package io.openlive.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Browser mode: headless Chromium loads a page embedding {@code <live-room>} N times, each in a fresh browser (a first
 * visit), at most {@code parallel} at once, and reports p50/p95 of the time from navigation start to the first video
 * frame on screen and to each component's init, read from the container's performance marks ({@code
 * openlive:first-frame}, {@code openlive:init:<component>}). Then one page plays for a while and the latency behind
 * live is sampled every second through the container's {@code latency()} (room.info's newest media timestamp minus the
 * one on screen); after a pause of the video it reports how long the latency took to come back under a threshold.
 * Limits: one page URL, one {@code <live-room>} per page (the first); loads that miss a mark within the time-out count
 * as failures. Usage: {@code new BrowserBench(options, System.out).run()}
 */
final class BrowserBench {
    /** How the stall is caused: the page's main thread kept busy, or the video element paused (see {@link #PAUSE}). */
    enum Stall { BUSY, PAUSE }

    /**
     * A slower network for the loads (Chromium's network emulation: downloads at {@code kbps}, each request
     * {@code latencyMs} later), where what the page fetches before its first frame costs what it costs on a phone.
     */
    record Throttle(int kbps, int latencyMs) {
        static Throttle parse(String spec) {
            if (spec == null || spec.isBlank()) {
                return null;
            }
            String[] p = spec.split("/");
            try {
                return new Throttle(Integer.parseInt(p[0].trim()), p.length > 1 ? Integer.parseInt(p[1].trim()) : 0);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--throttle must be KBPS/LATENCY_MS, e.g. 1600/150, not " + spec);
            }
        }
    }

    /** What to load and for how long; checked by the command before a browser starts. */
    record Options(URI url, int loads, int parallel, int latencySeconds, int stallSeconds, Stall stall, int warmupSeconds, double thresholdMs,
                   int loadTimeoutSeconds, Path chromium, Path chromedriver, Throttle throttle, boolean warmAudio) {
        /** The stall starts this long before the end of the latency run, leaving time to recover. */
        static final int AFTER_STALL_S = 30;

        Options {
            if (url == null || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
                throw new IllegalArgumentException("--url must be an http:// or https:// page, not " + url);
            }
            if (loads < 0 || loads > 1000) {
                throw new IllegalArgumentException("--loads must be 0 to 1000");
            }
            if (parallel < 1 || parallel > 4) {
                throw new IllegalArgumentException("--parallel must be 1 to 4 browsers (the machine runs the server too)");
            }
            if (latencySeconds < 0 || latencySeconds > 3600) {
                throw new IllegalArgumentException("--latency-seconds must be 0 (no latency run) to 3600");
            }
            if (stallSeconds < 0 || stallSeconds > 5) {
                // the player treats 6 s without progress as a dropped stream and reconnects: a longer pause measures that instead
                throw new IllegalArgumentException("--stall-seconds must be 0 (no stall) to 5");
            }
            if (latencySeconds > 0 && stallSeconds > 0 && latencySeconds < warmupSeconds + stallSeconds + AFTER_STALL_S + 10) {
                throw new IllegalArgumentException("--latency-seconds must leave the warm-up, 10 s measured, the stall and "
                        + AFTER_STALL_S + " s after it: at least " + (warmupSeconds + stallSeconds + AFTER_STALL_S + 10));
            }
            if (warmupSeconds < 0 || warmupSeconds > 600) {
                throw new IllegalArgumentException("--warmup-seconds must be 0 to 600");
            }
            if (!(thresholdMs > 0 && thresholdMs <= 60_000)) {
                throw new IllegalArgumentException("--threshold-ms must be over 0 and at most 60000");
            }
            if (throttle != null && (throttle.kbps() < 1 || throttle.latencyMs() < 0)) {
                throw new IllegalArgumentException("--throttle must be KBPS/LATENCY_MS with KBPS at least 1, e.g. 1600/150");
            }
            if (loadTimeoutSeconds < 1 || loadTimeoutSeconds > 120) {
                throw new IllegalArgumentException("--load-timeout must be 1 to 120 seconds");
            }
        }
    }

    /** Reads the container's marks, how many component frames it runs, and its state. */
    private static final String MARKS = """
            const room = document.querySelector('live-room');
            return { marks: performance.getEntriesByType('mark').filter((m) => m.name.startsWith('openlive:'))
                       .map((m) => [m.name, m.startTime]),
                     frames: room?.shadowRoot ? room.shadowRoot.querySelectorAll('iframe').length : -1,
                     state: room?.state ?? null,
                     domReady: performance.getEntriesByType('navigation')[0]?.domContentLoadedEventEnd ?? 0,
                     playerLibrary: performance.getEntriesByType('resource').find((r) => r.name.includes('/mpegts.js'))?.responseEnd ?? 0 };""";
    private static final String LATENCY = """
            const done = arguments[arguments.length - 1];
            const room = document.querySelector('live-room');
            room.latency().then((ms) => done(ms), (e) => done(null));""";
    /** Which player plays and how often the picture waited for data since it first played (the container's playback). */
    private static final String PLAYBACK = """
            const p = document.querySelector('live-room').playback;
            return p.player + ', ' + p.stalls + ' stall(s)';""";
    /**
     * A pause the player cannot undo by playing: its own recovery calls play(), which does nothing until the stall ends.
     * The player still seeks a paused video to the live edge once it is 2.4 s behind, so this bounds the latency.
     */
    private static final String PAUSE = """
            const v = document.querySelector('live-room').shadowRoot.querySelector('video');
            v.play = () => Promise.resolve();
            v.pause();""";
    /**
     * A long task: the page's main thread busy for the stall (a slow phone, a heavy script), so no FLV data reaches the
     * video; the picture plays out its buffer and freezes, and the data queued meanwhile arrives at once afterwards.
     */
    private static final String BUSY = """
            const until = performance.now() + arguments[0];
            while (performance.now() < until) { /* busy */ }""";
    private static final String RESUME = """
            const v = document.querySelector('live-room').shadowRoot.querySelector('video');
            delete v.play;
            v.play().catch(() => {});""";

    /** Selenium's per-session notices (CDP version guesses) would drown the report; kept here so the level sticks. */
    private static final java.util.logging.Logger SELENIUM_LOG = java.util.logging.Logger.getLogger("org.openqa.selenium");

    static {
        SELENIUM_LOG.setLevel(java.util.logging.Level.SEVERE);
    }

    private final Options o;
    private final PrintStream out;

    BrowserBench(Options options, PrintStream out) {
        this.o = options;
        this.out = out;
    }

    void run() throws Exception {
        out.printf("browser bench: %s, %d loads (%d at once), %d s latency run%s; %s%n", o.url(), o.loads(), o.parallel(), o.latencySeconds(),
                o.throttle() == null ? "" : ", loads throttled to " + o.throttle().kbps() + " kb/s and " + o.throttle().latencyMs() + " ms a request",
                o.warmAudio() ? "audio service started before each load" : "each load the browser's first playback (audio service cold)");
        if (o.loads() > 0) {
            loads();
        }
        if (o.latencySeconds() > 0) {
            latency();
        }
    }

    /**
     * One load's result in ms from navigation start: DOMContentLoaded, mpegts.js fetched, first frame, each component's
     * init, the container's steps (its other marks: connected, token, …); or why it failed.
     */
    record Load(double domReadyMs, double playerLibraryMs, double firstFrameMs, Map<String, Double> initMs,
                Map<String, Double> steps, String failure) {
    }

    /** The container's marks between load and first frame, in the order they happen (docs/host-apps.md). */
    static final List<String> STEPS = List.of("connected", "token", "container", "room-live", "player-library", "player-start",
            "media-info", "loadedmetadata", "play", "loadeddata", "first-frame", "playing");

    private void loads() throws Exception {
        AtomicInteger next = new AtomicInteger();
        List<Load> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(o.parallel())) {
            List<Future<List<Load>>> workers = new ArrayList<>();
            for (int w = 0; w < o.parallel(); w++) {
                workers.add(pool.submit(() -> {
                    List<Load> mine = new ArrayList<>();
                    while (next.getAndIncrement() < o.loads()) {
                        mine.add(oneLoad());
                    }
                    return mine;
                }));
            }
            for (Future<List<Load>> f : workers) {
                results.addAll(f.get());
            }
        }
        List<Double> domReady = new ArrayList<>();
        List<Double> playerLibrary = new ArrayList<>();
        List<Double> firstFrames = new ArrayList<>();
        Map<String, List<Double>> inits = new TreeMap<>();
        Map<String, List<Double>> steps = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        for (Load l : results) {
            if (l.failure() != null) {
                failures.add(l.failure());
                continue;
            }
            domReady.add(l.domReadyMs());
            if (l.playerLibraryMs() > 0) {
                playerLibrary.add(l.playerLibraryMs()); // the SDK's remuxer plays H.264/AAC FLV without fetching mpegts.js
            }
            firstFrames.add(l.firstFrameMs());
            l.initMs().forEach((c, ms) -> inits.computeIfAbsent(c, k -> new ArrayList<>()).add(ms));
            l.steps().forEach((n, ms) -> steps.computeIfAbsent(n, k -> new ArrayList<>()).add(ms));
        }
        out.printf("loads: %d ok, %d failed%n", firstFrames.size(), failures.size());
        failures.stream().distinct().forEach(f -> out.println("  failed: " + f));
        out.println(row("page DOMContentLoaded", domReady));
        if (!playerLibrary.isEmpty()) {
            out.println(row("player library (mpegts.js) fetched", playerLibrary));
        }
        out.println(row("first video frame", firstFrames));
        inits.forEach((c, ms) -> out.println(row("init " + c, ms)));
        out.println("container steps (openlive:<step> marks):");
        STEPS.stream().filter(steps::containsKey).forEach(n -> out.println(row("  " + n, steps.get(n))));
    }

    private Load oneLoad() {
        try (HeadlessChromium c = HeadlessChromium.open(o.chromium(), o.chromedriver())) {
            if (o.throttle() != null) {
                c.throttle(o.throttle().kbps(), o.throttle().latencyMs());
            }
            if (o.warmAudio()) {
                c.warmAudio();
            }
            c.get(o.url().toString());
            long deadline = System.nanoTime() + o.loadTimeoutSeconds() * 1_000_000_000L;
            Map<String, Double> marks = Map.of();
            int frames = -1;
            Object state = null;
            while (System.nanoTime() < deadline) {
                Map<?, ?> r = (Map<?, ?>) c.js(MARKS);
                marks = marksOf(r.get("marks"));
                frames = ((Number) r.get("frames")).intValue();
                state = r.get("state");
                long inits = marks.keySet().stream().filter(n -> n.startsWith("init ")).count();
                if (marks.containsKey("first-frame") && frames > 0 && inits >= frames) {
                    Map<String, Double> initMs = new TreeMap<>();
                    marks.forEach((n, ms) -> {
                        if (n.startsWith("init ")) {
                            initMs.put(n.substring(5), ms);
                        }
                    });
                    Map<String, Double> steps = new TreeMap<>(marks);
                    steps.keySet().removeIf(n -> n.startsWith("init "));
                    return new Load(((Number) r.get("domReady")).doubleValue(), ((Number) r.get("playerLibrary")).doubleValue(),
                            marks.get("first-frame"), initMs, steps, null);
                }
                Thread.sleep(50);
            }
            return new Load(0, 0, 0, Map.of(), Map.of(), "no first frame and every component's init within " + o.loadTimeoutSeconds() + " s (state "
                    + state + ", marks " + marks.keySet() + ", component frames " + frames + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Load(0, 0, 0, Map.of(), Map.of(), "interrupted");
        } catch (IOException | RuntimeException e) {
            return new Load(0, 0, 0, Map.of(), Map.of(), e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    /** {@code openlive:first-frame} → {@code first-frame}, {@code openlive:init:x} → {@code init x}; the earliest of repeats. */
    private static Map<String, Double> marksOf(Object raw) {
        Map<String, Double> m = new TreeMap<>();
        for (Object entry : (List<?>) raw) {
            List<?> pair = (List<?>) entry;
            String name = ((String) pair.get(0)).substring("openlive:".length()).replaceFirst("^init:", "init ");
            m.merge(name, ((Number) pair.get(1)).doubleValue(), Math::min);
        }
        return m;
    }

    private void latency() throws Exception {
        try (HeadlessChromium c = HeadlessChromium.open(o.chromium(), o.chromedriver())) {
            if (o.throttle() != null) {
                c.throttle(o.throttle().kbps(), o.throttle().latencyMs());
            }
            if (o.warmAudio()) {
                c.warmAudio();
            }
            c.get(o.url().toString());
            long deadline = System.nanoTime() + o.loadTimeoutSeconds() * 1_000_000_000L;
            while (marksOf(((Map<?, ?>) c.js(MARKS)).get("marks")).get("first-frame") == null) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the latency page showed no first frame within " + o.loadTimeoutSeconds() + " s");
                }
                Thread.sleep(50);
            }
            long stallAt = o.stallSeconds() > 0 ? (o.latencySeconds() - Options.AFTER_STALL_S - o.stallSeconds()) * 1000L : Long.MAX_VALUE;
            long stallEnd = stallAt + o.stallSeconds() * 1000L;
            long stallEndedAt = stallEnd; // when the stall really ended, measured; recovery counts from there
            LatencySeries series = new LatencySeries();
            int unknown = 0;
            long start = System.nanoTime();
            boolean paused = false;
            boolean resumed = false;
            Object beforeStall = null;
            for (long tick = 0; tick < o.latencySeconds(); tick++) {
                sleepUntil(start, tick * 1000);
                if (beforeStall == null && tick * 1000 >= stallAt) {
                    beforeStall = c.js(PLAYBACK);
                }
                // whole seconds, before the sample: the pause covers exactly stallSeconds of samples
                if (!paused && tick * 1000 >= stallAt && o.stall() == Stall.BUSY) {
                    c.js(BUSY, o.stallSeconds() * 1000); // returns when the page's main thread is free again
                    stallEndedAt = (System.nanoTime() - start) / 1_000_000;
                    paused = true;
                    resumed = true;
                    tick = stallEnd / 1000 - 1; // nothing could be sampled meanwhile; sample at once
                    continue;
                }
                if (!paused && tick * 1000 >= stallAt) {
                    c.js(PAUSE);
                    paused = true;
                } else if (paused && !resumed && tick * 1000 >= stallEnd) {
                    c.js(RESUME);
                    stallEndedAt = (System.nanoTime() - start) / 1_000_000;
                    resumed = true;
                }
                long at = (System.nanoTime() - start) / 1_000_000;
                Object ms = c.jsAsync(LATENCY);
                if (ms instanceof Number n) {
                    series.add(at, n.doubleValue());
                } else {
                    unknown++;
                }
            }
            long warm = o.warmupSeconds() * 1000L;
            long steadyEnd = Math.min(stallAt, o.latencySeconds() * 1000L);
            List<Double> steady = series.between(warm, steadyEnd);
            out.printf("latency behind live, sampled every second; %d samples, %d unknown (player reconnecting or room not live)%n",
                    series.samples().size(), unknown);
            out.println(row("steady (" + o.warmupSeconds() + " s to " + steadyEnd / 1000 + " s)", steady));
            out.printf("player: %s before the stall; %s at the end%n", beforeStall == null ? "-" : beforeStall, c.js(PLAYBACK));
            if (resumed) {
                OptionalDouble worst = series.worstFrom(stallAt);
                OptionalDouble back = series.recoveryMs(stallEndedAt, o.thresholdMs());
                out.printf("stall: %s %d s at %d s; worst after %s ms; back under %.0f ms %s after the stall ended%n",
                        o.stall() == Stall.BUSY ? "main thread busy" : "video paused", o.stallSeconds(), stallAt / 1000, fmt(worst), o.thresholdMs(),
                        back.isPresent() ? fmt(back) + " ms" : "never within " + Options.AFTER_STALL_S + " s");
            }
        }
    }

    private static void sleepUntil(long startNanos, long atMs) throws InterruptedException {
        long wait = startNanos + atMs * 1_000_000 - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

    static String row(String what, List<Double> ms) {
        return String.format("  %-34s n=%-4d p50 %s ms  p95 %s ms", what, ms.size(), fmt(Percentile.of(ms, 0.5)), fmt(Percentile.of(ms, 0.95)));
    }

    private static String fmt(OptionalDouble v) {
        return v.isPresent() ? String.format("%.0f", v.getAsDouble()) : "-";
    }
}
