package io.openlive.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code openlive-bench}: load tools for openlive and, in the same run, other servers. */
@Command(name = "openlive-bench", mixinStandardHelpOptions = true, subcommands = {BenchCommand.Media.class, BenchCommand.Chat.class, BenchCommand.FlashSale.class, BenchCommand.Browser.class, BenchCommand.Hls.class},
        description = "Load tools: publish a stream and drive many viewers; report lag, delay, first-frame time, CPU and memory.")
public final class BenchCommand {
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command tree, with a bad option value reported as one line and exit code 2 instead of a stack trace. */
    static CommandLine commandLine() {
        return new CommandLine(new BenchCommand()).setCaseInsensitiveEnumValuesAllowed(true).setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (!(e instanceof IllegalArgumentException)) {
                throw e;
            }
            cmd.getErr().println("error: " + e.getMessage());
            return 2;
        });
    }

    @Command(name = "media", mixinStandardHelpOptions = true,
            description = "Publish an FLV file in real time and ramp viewers over RTMP play or HTTP-FLV.")
    static final class Media implements Callable<Integer> {
        @Option(names = "--label", defaultValue = "server", description = "Name of the server in the report.")
        String label;
        @Option(names = "--publish", required = true, description = "rtmp://HOST:PORT/APP/KEY to publish to.")
        URI publish;
        @Option(names = "--play", required = true, description = "rtmp://HOST:PORT/APP/NAME or http://HOST:PORT/PATH.flv to play.")
        URI play;
        @Option(names = "--flv", required = true, description = "FLV file to publish (looped, in real time).")
        Path flv;
        @Option(names = "--steps", defaultValue = "250,500,1000,2000", description = "Viewer counts to ramp through (default: ${DEFAULT-VALUE}).")
        String steps;
        @Option(names = "--hold", defaultValue = "15", description = "Seconds measured at each step (default: ${DEFAULT-VALUE}).")
        int hold;
        @Option(names = "--settle", defaultValue = "2", description = "Seconds after every viewer's first frame before measuring, "
                + "past the GOP burst and the new connections' start-up (default: ${DEFAULT-VALUE}).")
        int settle;

        @Option(names = "--server-core", defaultValue = "0", description = "Core the server is pinned to (default: ${DEFAULT-VALUE}).")
        int serverCore;
        @Option(names = "--server-pid", split = ",", description = "PIDs whose RSS is the server's.")
        List<Long> serverPids = new ArrayList<>();
        @Option(names = "--metrics-url", description = "Prometheus endpoint of an openlive server, for its own time-to-first-frame figures.")
        URI metrics;
        @Option(names = "--warmup-viewers", defaultValue = "0", description = "Viewers of an unreported first step (default: ${DEFAULT-VALUE}, none).")
        int warmupViewers;
        @Option(names = "--jcmd", description = "jcmd of the server's JDK: measures its live heap per viewer after a full GC (JVM servers only).")
        String jcmd;
        @Option(names = "--connect-rate", defaultValue = "1000", description = "New viewers per second during a ramp; every "
                + "joiner of a GOP-caching server receives the GOP at once, so a fast ramp also measures that burst (default: ${DEFAULT-VALUE}).")
        int connectRate;

        @Override
        public Integer call() throws Exception {
            if (hold < 1 || hold > 300) {
                throw new IllegalArgumentException("--hold must be 1 to 300 seconds");
            }
            if (connectRate < 1 || connectRate > 5000) {
                throw new IllegalArgumentException("--connect-rate must be 1 to 5000 viewers a second");
            }
            int[] counts = MediaBench.parseSteps(steps);
            for (int n : counts) {
                if (n < 1 || n > 20_000) {
                    throw new IllegalArgumentException("each step must be 1 to 20000 viewers");
                }
                if ((double) n / connectRate > 300) {
                    throw new IllegalArgumentException("a step of " + n + " viewers at --connect-rate " + connectRate
                            + " would ramp for more than 300 s");
                }
            }
            new MediaBench(label, publish, play, flv, counts, hold, settle, serverCore, serverPids, metrics, jcmd, warmupViewers, connectRate,
                    System.out).run();
            return 0;
        }
    }

    @Command(name = "chat", mixinStandardHelpOptions = true,
            description = "Open C realtime connections to one room, send comments and likes at given rates, measure delivery and latency.")
    static final class Chat implements Callable<Integer> {
        @Option(names = "--label", defaultValue = "server", description = "Name of the server in the report.")
        String label;
        @Option(names = "--dialect", defaultValue = "openlive", description = "openlive (the /rt channel) or plain (a broadcast server).")
        String dialect;
        @Option(names = "--url", required = true, description = "ws://HOST:PORT/rt for openlive, ws://HOST:PORT/ for plain.")
        URI url;
        @Option(names = "--room", defaultValue = "", description = "openlive: room id.")
        String room;
        @Option(names = "--app", defaultValue = "", description = "openlive: host app id.")
        String app;
        @Option(names = "--secret", defaultValue = "", description = "openlive: the host app's secret, to sign viewer tokens.")
        String secret;
        @Option(names = "--connections", defaultValue = "1000", description = "Connections (default: ${DEFAULT-VALUE}).")
        int connections;
        @Option(names = "--comments", defaultValue = "200", description = "Comments per second in (default: ${DEFAULT-VALUE}).")
        double comments;
        @Option(names = "--likes", defaultValue = "2000", description = "Likes per second in, 10 per call (default: ${DEFAULT-VALUE}).")
        double likes;
        @Option(names = "--hold", defaultValue = "20", description = "Seconds measured (default: ${DEFAULT-VALUE}).")
        int hold;
        @Option(names = "--server-core", defaultValue = "0", description = "Core the server is pinned to (default: ${DEFAULT-VALUE}).")
        int serverCore;
        @Option(names = "--server-pid", split = ",", description = "PIDs whose RSS is the server's.")
        List<Long> serverPids = new ArrayList<>();
        @Option(names = "--jcmd", description = "jcmd of the server's JDK, for live heap per connection (JVM servers only).")
        String jcmd;
        @Option(names = "--header", description = "Print the table header first.")
        boolean header;

        @Override
        public Integer call() throws Exception {
            if (connections < 1 || connections > 30_000 || hold < 1 || hold > 300 || comments < 0 || comments > 5000 || likes < 0 || likes > 50_000) {
                throw new IllegalArgumentException("connections 1-30000, hold 1-300 s, comments 0-5000/s, likes 0-50000/s");
            }
            if (header) {
                System.out.println(ChatBench.header());
            }
            new ChatBench(new ChatBench.Options(label, dialect, url, app, secret, room, connections, comments, likes, hold, serverCore,
                    serverPids, jcmd), System.out).run();
            return 0;
        }
    }

    @Command(name = "flash-sale", mixinStandardHelpOptions = true,
            description = "Set up a product with U units, join B buyers over the realtime channel and have all press buy within one second.")
    static final class FlashSale implements Callable<Integer> {
        @Option(names = "--label", defaultValue = "openlive", description = "Name of the run in the report.")
        String label;
        @Option(names = "--server", required = true, description = "http://HOST:PORT of an openlive node.")
        URI server;
        @Option(names = "--api-key", required = true, description = "An admin key (openlive serve prints the first one).")
        String apiKey;
        @Option(names = "--buyers", defaultValue = "5000", description = "Buyers, half in each of two host apps (default: ${DEFAULT-VALUE}).")
        int buyers;
        @Option(names = "--units", defaultValue = "100", description = "Units of the product on sale (default: ${DEFAULT-VALUE}).")
        int units;
        @Option(names = "--connect-rate", defaultValue = "1000", description = "Buyers joining per second before the sale (default: ${DEFAULT-VALUE}).")
        int connectRate;
        @Option(names = "--header", description = "Print the table header first.")
        boolean header;

        @Override
        public Integer call() throws Exception {
            if (buyers < 1 || buyers > 50_000 || units < 0 || units > 1_000_000 || connectRate < 1 || connectRate > 5000) {
                throw new IllegalArgumentException("buyers 1-50000, units 0-1000000, connect-rate 1-5000/s");
            }
            if (header) {
                System.out.println(FlashSaleBench.header());
            }
            new FlashSaleBench(new FlashSaleBench.Options(label, server, apiKey, buyers, units, connectRate), System.out).run();
            return 0;
        }
    }

    @Command(name = "browser", mixinStandardHelpOptions = true,
            description = "Load a page embedding <live-room> N times in headless Chromium: first frame and component init p50/p95; "
                    + "then play it and sample the latency behind live every second, with a stall.")
    static final class Browser implements Callable<Integer> {
        @Option(names = "--url", required = true, description = "The page, e.g. http://127.0.0.1:8080/demo/shop/.")
        URI url;
        @Option(names = "--loads", defaultValue = "20", description = "Page loads, each in a fresh browser (default: ${DEFAULT-VALUE}).")
        int loads;
        @Option(names = "--parallel", defaultValue = "1", description = "Browsers loading at once, 1-4 (default: ${DEFAULT-VALUE}).")
        int parallel;
        @Option(names = "--latency-seconds", defaultValue = "180", description = "Length of the latency run, 0 for none (default: ${DEFAULT-VALUE}).")
        int latencySeconds;
        @Option(names = "--warmup-seconds", defaultValue = "60", description = "Latency samples before this are not reported (default: ${DEFAULT-VALUE}).")
        int warmupSeconds;
        @Option(names = "--stall-seconds", defaultValue = "5", description = "Stall this long, 30 s before the end, 0-5 (default: ${DEFAULT-VALUE}).")
        int stallSeconds;
        @Option(names = "--stall", defaultValue = "BUSY", description = "How: BUSY (the page's main thread busy) or PAUSE (the video paused) (default: ${DEFAULT-VALUE}).")
        BrowserBench.Stall stall;
        @Option(names = "--threshold-ms", defaultValue = "1500", description = "Recovery is the time back under this latency (default: ${DEFAULT-VALUE}).")
        double thresholdMs;
        @Option(names = "--load-timeout", defaultValue = "20", description = "Seconds a load may take to show every mark (default: ${DEFAULT-VALUE}).")
        int loadTimeout;
        @Option(names = "--chromium", defaultValue = "/usr/bin/chromium", description = "Chromium binary (default: ${DEFAULT-VALUE}).")
        Path chromium;
        @Option(names = "--chromedriver", defaultValue = "/usr/bin/chromedriver", description = "chromedriver binary (default: ${DEFAULT-VALUE}).")
        Path chromedriver;
        @Option(names = "--throttle", description = "Loads over a slower network, KBPS/LATENCY_MS (e.g. 1600/150); the latency run is not throttled.")
        String throttle;
        @Option(names = "--warm-audio", description = "Before each load, start the browser's audio service (a silent "
                + "AudioContext on about:blank), as in a browser that has played sound since it started; by default every load "
                + "is a browser's first playback, which also waits for that process to launch.")
        boolean warmAudio;

        @Override
        public Integer call() throws Exception {
            BrowserBench.Options options = new BrowserBench.Options(url, loads, parallel, latencySeconds, stallSeconds, stall, warmupSeconds,
                    thresholdMs, loadTimeout, chromium, chromedriver, BrowserBench.Throttle.parse(throttle), warmAudio);
            HeadlessChromium.requireExecutable(chromium, "--chromium");
            HeadlessChromium.requireExecutable(chromedriver, "--chromedriver");
            new BrowserBench(options, System.out).run();
            return 0;
        }
    }

    @Command(name = "hls", mixinStandardHelpOptions = true,
            description = "Publish an FLV file in real time over RTMP and ramp HLS or LL-HLS viewers of the server's playlist: "
                    + "stall-free viewers, requests/s, bytes/s, chunk availability after ingest, latency behind live, CPU and RSS.")
    static final class Hls implements Callable<Integer> {
        @Option(names = "--label", defaultValue = "server", description = "Name of the server in the report.")
        String label;
        @Option(names = "--publish", required = true, description = "rtmp://HOST:PORT/APP/KEY to publish to.")
        URI publish;
        @Option(names = "--playlist", required = true, description = "http://HOST:PORT/PATH.m3u8: the media playlist to play.")
        URI playlist;
        @Option(names = "--flv", required = true, description = "FLV file to publish (looped, in real time).")
        Path flv;
        @Option(names = "--mode", defaultValue = "HLS", description = "HLS (poll, whole segments) or LL_HLS (blocking reload, parts) (default: ${DEFAULT-VALUE}).")
        HlsViewer.Mode mode;
        @Option(names = "--skip", description = "LL-HLS: ask for delta updates (_HLS_skip=YES) when the server offers them.")
        boolean skip;
        @Option(names = "--steps", defaultValue = "100,500,1000,2000", description = "Viewer counts to ramp through (default: ${DEFAULT-VALUE}).")
        String steps;
        @Option(names = "--hold", defaultValue = "15", description = "Seconds measured at each step (default: ${DEFAULT-VALUE}).")
        int hold;
        @Option(names = "--settle", defaultValue = "5", description = "Seconds after every viewer started playing before measuring (default: ${DEFAULT-VALUE}).")
        int settle;
        @Option(names = "--connect-rate", defaultValue = "500", description = "New viewers per second in a ramp (default: ${DEFAULT-VALUE}).")
        int connectRate;
        @Option(names = "--start-targets", defaultValue = "3", description = "HLS: join this many target durations behind the live edge, "
                + "as hls.js does (default: ${DEFAULT-VALUE}); LL-HLS joins PART-HOLD-BACK behind it.")
        double startTargets;
        @Option(names = "--media-offset-ms", defaultValue = "0", description = "What the server adds to RTMP timestamps in its media "
                + "times: 0 for openlive, 700 for nginx-rtmp's MPEG-TS (its PCR delay) (default: ${DEFAULT-VALUE}).")
        long mediaOffsetMs;
        @Option(names = "--server-core", defaultValue = "0", description = "Core the server is pinned to (default: ${DEFAULT-VALUE}).")
        int serverCore;
        @Option(names = "--load-core", defaultValue = "1", description = "Core this tool is pinned to, to show when the load side is the limit (default: ${DEFAULT-VALUE}).")
        int loadCore;
        @Option(names = "--server-pid", split = ",", description = "PIDs whose RSS is the server's.")
        List<Long> serverPids = new ArrayList<>();
        @Option(names = "--header", description = "Print the table header first.")
        boolean header;

        @Override
        public Integer call() throws Exception {
            if (hold < 1 || hold > 300 || settle < 0 || settle > 120) {
                throw new IllegalArgumentException("--hold must be 1 to 300 seconds, --settle 0 to 120");
            }
            if (connectRate < 1 || connectRate > 5000) {
                throw new IllegalArgumentException("--connect-rate must be 1 to 5000 viewers a second");
            }
            if (!(startTargets >= 0 && startTargets <= 10)) {
                throw new IllegalArgumentException("--start-targets must be 0 to 10");
            }
            if (!"http".equals(playlist.getScheme())) {
                throw new IllegalArgumentException("--playlist must be an http:// URL, not " + playlist);
            }
            int[] counts = MediaBench.parseSteps(steps);
            for (int n : counts) {
                if (n < 1 || n > 20_000) {
                    throw new IllegalArgumentException("each step must be 1 to 20000 viewers");
                }
                if ((double) n / connectRate > 300) {
                    throw new IllegalArgumentException("a step of " + n + " viewers at --connect-rate " + connectRate + " would ramp for more than 300 s");
                }
            }
            if (header) {
                System.out.println(HlsBench.header());
            }
            new HlsBench(new HlsBench.Options(label, publish, playlist, flv, mode, skip, counts, hold, settle, connectRate, serverCore,
                    loadCore, serverPids, mediaOffsetMs, startTargets), System.out).run();
            return 0;
        }
    }
}
