package io.openlive.bench;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpClientCodec;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Publishes an FLV file in real time and drives N viewers per step, ramping N. For each step it reports failures, viewers
 * lagging more than {@link #LAG_LIMIT_MS}, end-to-end delay (publisher send → viewer receive, one clock), time to first
 * frame, the busy share of the server's core and the server's RSS. Every loop is bounded in count and time.
 */
final class MediaBench {
    static final int LAG_LIMIT_MS = 1000;

    record Step(int viewers, int failed, int lagging, int worstLagMs, double latencyP50, double latencyP99,
                double firstFrameP50, double firstFrameP99, double serverFirstFrameP50, double serverFirstFrameP99,
                double serverDelayP50, double serverDelayP99, double busy, long rssKib, long liveHeapKib, double deliveredMbps,
                long matched, long unmatched) {
        /**
         * Lag and delay compare a viewer's timestamps with the publisher's. A server that rebased the stream (openlive
         * does when a publisher returns within its grace period, as a new bench run on the same room does) sends other
         * timestamps: then most frames match nothing and lag reads as zero, which must not pass for "no viewer lagging".
         */
        boolean timelineMatched() {
            return unmatched <= matched;
        }
    }

    private final String label;
    private final URI publish;
    private final URI play;
    private final Path flv;
    private final int[] steps;
    private final int holdSeconds;
    private final int settleSeconds;
    private final int serverCore;
    private final List<Long> serverPids;
    private final PrintStream out;
    private final ServerHistogram serverFirstFrame;
    private final ServerHistogram serverDelay;
    private final HeapProbe heap;
    private final int warmupViewers;
    /** New viewers per second in a ramp: bounded, so a step measures serving rather than a connection storm. */
    private final int connectsPerSecond;
    private long idleHeapKib = -1;

    MediaBench(String label, URI publish, URI play, Path flv, int[] steps, int holdSeconds, int settleSeconds, int serverCore,
               List<Long> serverPids, URI metrics, String jcmd, int warmupViewers, int connectsPerSecond, PrintStream out) {
        this.warmupViewers = warmupViewers;
        this.connectsPerSecond = connectsPerSecond;
        this.heap = jcmd == null || serverPids.size() != 1 ? null : new HeapProbe(jcmd, serverPids.get(0));
        String protocol = switch (play.getScheme()) {
            case "rtmp" -> "rtmp";
            case "ws" -> "ws-flv";
            default -> "http-flv";
        };
        this.serverFirstFrame = metrics == null ? null : new ServerHistogram(metrics, ServerHistogram.FIRST_FRAME, protocol);
        this.serverDelay = metrics == null ? null : new ServerHistogram(metrics, ServerHistogram.EGRESS_DELAY, protocol);
        this.label = label;
        this.publish = publish;
        this.play = play;
        this.flv = flv;
        this.steps = steps;
        this.holdSeconds = holdSeconds;
        this.settleSeconds = settleSeconds;
        this.serverCore = serverCore;
        this.serverPids = serverPids;
        this.out = out;
    }

    List<Step> run() throws Exception {
        FlvSource source = FlvSource.load(flv);
        out.printf(Locale.ROOT, "# %s: publishing %s (%.2f Mb/s, %d ms loop), viewers over %s%n", label, flv.getFileName(),
                source.bitrateMbps(), source.durationMs, play.getScheme());
        RtmpClientPipeline clients = new RtmpClientPipeline(1);
        List<Step> results = new ArrayList<>();
        int largest = 0;
        try {
            String[] pub = appAndName(publish);
            RtmpPublisher publisher = new RtmpPublisher(source, pub[0], pub[1]);
            ChannelFuture pc = clients.connectRtmp(publish.getHost(), publish.getPort(), () -> publisher);
            pc.sync();
            publisher.publishing.get(10, java.util.concurrent.TimeUnit.SECONDS);
            Thread.sleep(3000); // let the stream settle and a GOP build up
            if (warmupViewers > 0) {
                // One unreported step, the same for every server: a JVM compiles its hot paths in its first minute,
                // which a long-running server pays once and a short benchmark would otherwise charge to every step.
                out.printf("# warm-up: %d viewers, not reported%n", warmupViewers);
                step(clients, publisher, warmupViewers);
            }
            long idleRss = ProcSampler.rssKib(serverPids);
            out.printf(Locale.ROOT, "# server RSS with the publisher only: %d KiB%n", idleRss);
            if (heap != null) {
                idleHeapKib = heap.liveKib();
                out.printf(Locale.ROOT, "# server live heap (after a full GC) with the publisher only: %d KiB%n", idleHeapKib);
            }
            out.println("| viewers | failed | lagging >1s | worst lag ms | delay p50 ms | delay p99 ms | first frame p50/p99 ms (client) | first frame p50/p99 ms (server) | server delay p50/p99 ms | server core busy | busy per 1000 | RSS MiB | RSS per viewer KiB | live heap per viewer KiB | delivered Mb/s |");
            out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
            for (int n : steps) {
                Step step = step(clients, publisher, n);
                results.add(step);
                out.printf(Locale.ROOT, "| %d | %d | %s | %s | %.1f | %.1f | %.0f / %.0f | %s | %s | %.1f%% | %.1f%% | %.0f | %.1f | %s | %.0f |%n",
                        step.viewers(), step.failed(),
                        step.timelineMatched() ? String.valueOf(step.lagging()) : "n/a",
                        step.timelineMatched() ? String.valueOf(step.worstLagMs()) : "n/a",
                        step.latencyP50(), step.latencyP99(),
                        step.firstFrameP50(), step.firstFrameP99(),
                        Double.isNaN(step.serverFirstFrameP99()) ? "n/a" : String.format(Locale.ROOT, "≤%.0f / ≤%.0f", step.serverFirstFrameP50(), step.serverFirstFrameP99()),
                        Double.isNaN(step.serverDelayP99()) ? "n/a" : String.format(Locale.ROOT, "≤%.0f / ≤%.0f", step.serverDelayP50(), step.serverDelayP99()),
                        step.busy() * 100, step.busy() * 100 * 1000 / n,
                        step.rssKib() / 1024.0, (step.rssKib() - idleRss) / (double) n,
                        step.liveHeapKib() < 0 || idleHeapKib < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", (step.liveHeapKib() - idleHeapKib) / (double) n),
                        step.deliveredMbps());
                out.flush();
                if (!step.timelineMatched()) {
                    out.printf("# stopping the ramp: %d of %d frames received at %d viewers carry timestamps the publisher did not "
                                    + "send (the server rebased the stream: a publisher reconnect within its grace period?), so lag "
                                    + "and delay were not measured%n",
                            step.unmatched(), step.unmatched() + step.matched(), n);
                    break;
                }
                if (step.failed() == 0 && step.lagging() == 0) {
                    largest = n;
                }
                if (step.failed() > 0 || step.lagging() > 0) {
                    out.printf("# stopping the ramp: %d failed, %d lagging at %d viewers%n", step.failed(), step.lagging(), n);
                    break;
                }
            }
            out.printf("# largest step with no viewer failing or lagging more than %d ms: %d viewers%n", LAG_LIMIT_MS, largest);
            publisher.close();
        } finally {
            clients.close();
        }
        return results;
    }

    private Step step(RtmpClientPipeline clients, RtmpPublisher publisher, int n) throws Exception {
        RunContext run = new RunContext(publisher);
        java.util.Map<Double, Double> firstFrameBefore = serverFirstFrame == null ? java.util.Map.of() : serverFirstFrame.scrape();
        List<ViewerProbe> probes = new ArrayList<>(n);
        List<Channel> channels = new ArrayList<>(n);
        String[] target = appAndName(play);
        long rampStart = System.nanoTime();
        for (int i = 0; i < n; i++) {
            ViewerProbe probe = new ViewerProbe();
            probes.add(probe);
            ChannelFuture f = switch (play.getScheme()) {
                case "rtmp" -> clients.connectRtmp(play.getHost(), play.getPort(), () -> new RtmpViewer(run, probe, target[0], target[1]));
                case "ws" -> wsFlv(clients, run, probe);
                default -> httpFlv(clients, run, probe);
            };
            f.addListener(done -> {
                if (!done.isSuccess()) {
                    probe.fail("connect: " + done.cause());
                }
            });
            channels.add(f.channel());
            long due = rampStart + (long) i * 1_000_000_000L / connectsPerSecond;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < deadline && probes.stream().anyMatch(p -> p.firstFrameNanos == 0 && !p.failed)) {
            Thread.sleep(100);
        }
        Thread.sleep(settleSeconds * 1000L); // past the GOP burst every new viewer gets
        long bytesBefore = probes.stream().mapToLong(p -> p.bytes).sum();
        java.util.Map<Double, Double> delayBefore = serverDelay == null ? java.util.Map.of() : serverDelay.scrape();
        long[] cpuBefore = ProcSampler.cpu(serverCore);
        long t0 = System.nanoTime();
        run.measuring = true;
        Thread.sleep(holdSeconds * 1000L / 2);
        long rss = ProcSampler.rssKib(serverPids);
        Thread.sleep(holdSeconds * 1000L - holdSeconds * 1000L / 2);
        run.measuring = false;
        long[] cpuAfter = ProcSampler.cpu(serverCore);
        java.util.Map<Double, Double> delayAfter = serverDelay == null ? java.util.Map.of() : serverDelay.scrape();
        double seconds = (System.nanoTime() - t0) / 1e9;
        long bytesAfter = probes.stream().mapToLong(p -> p.bytes).sum();

        int failed = 0;
        int lagging = 0;
        int worst = 0;
        String firstFailure = null;
        for (ViewerProbe p : probes) {
            if (p.failed || p.firstFrameNanos == 0) {
                failed++;
                if (firstFailure == null) {
                    firstFailure = p.failed ? p.failure : "no frame";
                }
                continue;
            }
            int lag = p.lagMs();
            worst = Math.max(worst, lag);
            if (lag > LAG_LIMIT_MS) {
                lagging++;
            }
        }
        if (firstFailure != null) {
            out.println("# first failure: " + firstFailure);
        }
        java.util.Map<Double, Double> firstFrameAfter = serverFirstFrame == null ? java.util.Map.of() : serverFirstFrame.scrape();
        long liveHeap = heap == null ? -1 : heap.liveKib(); // after the CPU window: a full GC would distort it
        for (ViewerProbe p : probes) {
            p.closed = true;
        }
        for (Channel c : channels) {
            c.close();
        }
        Thread.sleep(2000);
        return new Step(n, failed, lagging, worst, run.latency.percentileMs(0.5), run.latency.percentileMs(0.99),
                run.firstFrame.percentileMs(0.5), run.firstFrame.percentileMs(0.99),
                ServerHistogram.percentileMs(firstFrameBefore, firstFrameAfter, 0.5),
                ServerHistogram.percentileMs(firstFrameBefore, firstFrameAfter, 0.99),
                ServerHistogram.percentileMs(delayBefore, delayAfter, 0.5),
                ServerHistogram.percentileMs(delayBefore, delayAfter, 0.99),
                ProcSampler.busyShare(cpuBefore, cpuAfter), rss, liveHeap, (bytesAfter - bytesBefore) * 8 / seconds / 1e6,
                run.latency.count(), run.unmatched.sum());
    }

    private ChannelFuture httpFlv(RtmpClientPipeline clients, RunContext run, ViewerProbe probe) {
        String host = play.getHost() + ":" + play.getPort();
        return clients.bootstrap(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new HttpClientCodec(4096, 8192, 65536), new HttpFlvViewer(run, probe, host, play.getRawPath()));
            }
        }).connect(play.getHost(), play.getPort());
    }

    private ChannelFuture wsFlv(RtmpClientPipeline clients, RunContext run, ViewerProbe probe) {
        return clients.bootstrap(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), new io.netty.handler.codec.http.HttpObjectAggregator(8192),
                        new io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler(
                                io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory.newHandshaker(play,
                                        io.netty.handler.codec.http.websocketx.WebSocketVersion.V13, null, false,
                                        io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE, 1 << 20)),
                        new WsFlvViewer(run, probe));
            }
        }).connect(play.getHost(), play.getPort());
    }

    /** rtmp://host:port/app/name → {app, name}. */
    static String[] appAndName(URI uri) {
        String[] parts = uri.getPath().replaceFirst("^/", "").split("/", 2);
        if (parts.length < 2) {
            throw new IllegalArgumentException("expected rtmp://HOST:PORT/APP/NAME, got " + uri);
        }
        return parts;
    }

    static int[] parseSteps(String csv) {
        try {
            return Arrays.stream(csv.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--steps must be viewer counts separated by commas, not '" + csv + "'");
        }
    }
}
