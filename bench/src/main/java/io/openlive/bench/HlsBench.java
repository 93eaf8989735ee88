package io.openlive.bench;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Publishes an FLV file in real time over RTMP and ramps HLS or LL-HLS viewers ({@link HlsViewer}) of the server's
 * playlist, all on one event loop. Per step: viewers started, stall-free viewers (over the whole step and over the
 * measured window), requests and body bytes per second, errors, when chunks became available and arrived against when
 * the publisher sent their last frame, the playlist's age by its date times, the players' latency behind live, the busy
 * share of the server's core and the load tool's, and the server's RSS. Every loop is bounded in count and time.
 */
final class HlsBench {
    record Options(String label, URI publish, URI playlist, Path flv, HlsViewer.Mode mode, boolean skip, int[] steps,
                   int holdSeconds, int settleSeconds, int connectsPerSecond, int serverCore, int loadCore, List<Long> serverPids,
                   long mediaOffsetMs, double startTargets) {
    }

    record Step(int viewers, int started, int stallFree, int stallFreeHold, double stalledSecondsHold, double requestsPerSecond,
                double mbitsPerSecond, long errors, long reconnects, double availableP50, double availableP99, double listedP50, double listedP99, double receivedP50,
                double receivedP99, double edgeP50, double edgeP99, double latencyP50, double latencyP99, double serverBusy,
                double loadBusy, double serverProcess, double loadProcess, long rssKib, long matched, long unmatched, String firstError) {
    }

    private final Options o;
    private final PrintStream out;

    HlsBench(Options options, PrintStream out) {
        this.o = options;
        this.out = out;
    }

    static String header() {
        return "| server | viewers | started | stall-free | stall-free in hold | stalled s in hold | requests/s | Mb/s | errors | "
                + "reconnects | available after last frame p50/p99 ms | listed after last frame p50/p99 ms | received after last frame p50/p99 ms | playlist edge age p50/p99 ms | "
                + "latency behind live p50/p99 ms | server core busy | load core busy | server process CPU | load process CPU | RSS MiB |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|";
    }

    List<Step> run() throws Exception {
        FlvSource source = FlvSource.load(o.flv());
        out.printf(Locale.ROOT, "# %s: publishing %s (%.2f Mb/s, %d ms loop), %s viewers of %s%s%n", o.label(), o.flv().getFileName(),
                source.bitrateMbps(), source.durationMs, o.mode() == HlsViewer.Mode.HLS ? "HLS" : "LL-HLS", o.playlist(),
                o.skip() ? " (delta updates)" : "");
        RtmpClientPipeline clients = new RtmpClientPipeline(1);
        List<Step> results = new ArrayList<>();
        try {
            String[] pub = MediaBench.appAndName(o.publish());
            RtmpPublisher publisher = new RtmpPublisher(source, pub[0], pub[1]);
            clients.connectRtmp(o.publish().getHost(), o.publish().getPort(), () -> publisher).sync();
            publisher.publishing.get(10, TimeUnit.SECONDS);
            waitForPlaylist();
            out.printf(Locale.ROOT, "# server RSS with the publisher and no viewer: %d KiB%n", ProcSampler.rssKib(o.serverPids()));
            for (int n : o.steps()) {
                Step s = step(clients, publisher, n);
                results.add(s);
                out.println(row(o.label(), s));
                if (s.firstError() != null) {
                    out.println("# first error: " + s.firstError());
                }
                if (s.unmatched() > s.matched()) {
                    out.printf("# %d of %d chunks carry media times the publisher did not send: is --media-offset-ms right?%n",
                            s.unmatched(), s.unmatched() + s.matched());
                }
                out.flush();
                if (s.stallFree() < n / 2) {
                    out.printf("# stopping the ramp: only %d of %d viewers played without a stall%n", s.stallFree(), n);
                    break;
                }
            }
            publisher.close();
        } finally {
            clients.close();
        }
        return results;
    }

    static String row(String label, Step s) {
        return String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %.1f | %.0f | %.0f | %d | %d | %s | %s | %s | %s | %s | %.1f%% | %.1f%% | %.1f%% | %.1f%% | %.0f |",
                label, s.viewers(), s.started(), s.stallFree(), s.stallFreeHold(), s.stalledSecondsHold(), s.requestsPerSecond(),
                s.mbitsPerSecond(), s.errors(), s.reconnects(), pair(s.availableP50(), s.availableP99()), pair(s.listedP50(), s.listedP99()), pair(s.receivedP50(), s.receivedP99()),
                pair(s.edgeP50(), s.edgeP99()), pair(s.latencyP50(), s.latencyP99()), s.serverBusy() * 100, s.loadBusy() * 100,
                s.serverProcess() * 100, s.loadProcess() * 100, s.rssKib() / 1024.0);
    }

    private static String pair(double p50, double p99) {
        return Double.isNaN(p50) ? "n/a" : String.format(Locale.ROOT, "%.0f / %.0f", p50, p99);
    }

    /** Asks for the playlist until it lists enough media to start a player (a segmenter starts on first request). */
    private void waitForPlaylist() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + 30_000_000_000L;
        String last = "nothing";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(o.playlist()).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                HlsPlaylist p = HlsPlaylist.parse(r.body());
                double listed = p.segments().stream().mapToDouble(HlsPlaylist.Segment::duration).sum();
                if (listed >= o.startTargets() * p.targetDuration() && p.segments().size() >= 3) {
                    return;
                }
                last = p.segments().size() + " segments";
            } else {
                last = "HTTP " + r.statusCode();
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the playlist " + o.playlist() + " did not list enough media within 30 s: " + last);
    }

    private Step step(RtmpClientPipeline clients, RtmpPublisher publisher, int n) throws Exception {
        HlsRun run = new HlsRun(publisher, o.mediaOffsetMs());
        URI uri = o.playlist();
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        List<HlsViewer> viewers = new ArrayList<>(n);
        long rampStart = System.nanoTime();
        for (int i = 0; i < n; i++) {
            HlsViewer v = new HlsViewer(run, uri, o.mode(), o.skip(), o.startTargets(), viewer -> connect(clients, viewer, uri.getHost(), port));
            viewers.add(v);
            clients.group.execute(v::connect);
            long wait = rampStart + (long) i * 1_000_000_000L / o.connectsPerSecond() - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline && onLoop(clients, () -> viewers.stream().anyMatch(v -> !v.buffer.started() && !v.failedToStart()))) {
            Thread.sleep(100);
        }
        Thread.sleep(o.settleSeconds() * 1000L);
        long req0 = run.requests.sum();
        long bytes0 = run.bytes.sum();
        long[] serverBefore = ProcSampler.cpu(o.serverCore());
        long[] loadBefore = ProcSampler.cpu(o.loadCore());
        List<Long> self = List.of(ProcessHandle.current().pid());
        long serverTicks0 = ProcessCpu.ticks(o.serverPids());
        long loadTicks0 = ProcessCpu.ticks(self);
        long t0 = System.nanoTime();
        run.measuring = true;
        Thread.sleep(o.holdSeconds() * 1000L / 2);
        long rss = ProcSampler.rssKib(o.serverPids());
        Thread.sleep(o.holdSeconds() * 1000L - o.holdSeconds() * 1000L / 2);
        run.measuring = false;
        long t1 = System.nanoTime();
        long[] serverAfter = ProcSampler.cpu(o.serverCore());
        long[] loadAfter = ProcSampler.cpu(o.loadCore());
        long serverTicks1 = ProcessCpu.ticks(o.serverPids());
        long loadTicks1 = ProcessCpu.ticks(self);
        double seconds = (t1 - t0) / 1e9;
        double requests = (run.requests.sum() - req0) / seconds;
        double mbits = (run.bytes.sum() - bytes0) * 8 / seconds / 1e6;

        // per-viewer figures, read on the event loop that owns the viewers' state
        int[] counts = new int[3];
        double[] stalled = new double[1];
        Histogram latency = new Histogram();
        onLoop(clients, () -> {
            for (HlsViewer v : viewers) {
                PlaybackBuffer b = v.buffer;
                if (!b.started()) {
                    continue;
                }
                counts[0]++;
                if (b.stalledNanosBetween(b.startedAtNanos(), t1) == 0) {
                    counts[1]++;
                }
                long inHold = b.stalledNanosBetween(t0, t1);
                if (inHold == 0) {
                    counts[2]++;
                }
                stalled[0] += inHold / 1e9;
                if (v.lastChunkSentNanos > 0) {
                    latency.record(t1 - v.lastChunkSentNanos + b.aheadNanos(t1));
                }
            }
            return true;
        });
        for (HlsViewer v : viewers) {
            clients.group.execute(v::close);
        }
        Thread.sleep(2000);
        Histogram available = run.firstListedHistogram();
        return new Step(n, counts[0], counts[1], counts[2], stalled[0], requests, mbits, run.errors.sum(), run.reconnects.sum(),
                available.percentileMs(0.5), available.percentileMs(0.99),
                run.listedDelay.percentileMs(0.5), run.listedDelay.percentileMs(0.99),
                run.receivedDelay.percentileMs(0.5), run.receivedDelay.percentileMs(0.99),
                run.edgeAge.percentileMs(0.5), run.edgeAge.percentileMs(0.99),
                latency.percentileMs(0.5), latency.percentileMs(0.99),
                ProcSampler.busyShare(serverBefore, serverAfter), ProcSampler.busyShare(loadBefore, loadAfter),
                ProcessCpu.share(serverTicks0, serverTicks1, seconds), ProcessCpu.share(loadTicks0, loadTicks1, seconds), rss,
                run.matched.sum(), run.unmatched.sum(), run.firstError);
    }

    private static ChannelFuture connect(RtmpClientPipeline clients, HlsViewer viewer, String host, int port) {
        return clients.bootstrap(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new HttpClientCodec(4096, 8192, 65536), new HttpObjectAggregator(64 << 20), viewer.handler());
            }
        }).connect(host, port);
    }

    private static <T> T onLoop(RtmpClientPipeline clients, java.util.concurrent.Callable<T> task) throws Exception {
        return clients.group.submit(task).get(30, TimeUnit.SECONDS);
    }
}
