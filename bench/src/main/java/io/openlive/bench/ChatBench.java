package io.openlive.bench;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Chat load: C WebSocket connections in one room, S of them sending comments at a total rate and likes at a total rate,
 * every 100th connection a probe that measures send-to-receive latency of every comment it gets. Two dialects: the
 * openlive realtime channel, and a plain broadcast server (every frame a client sends goes to every client) as the
 * baseline. Reports delivered comments per second, latency p50/p99, dropped connections, server CPU and RSS.
 */
final class ChatBench {
    static final int PROBE_EVERY = 100;
    /** Senders are the first connections; they keep the full WebSocket codec. */
    static final int MAX_SENDERS = 1000;

    /** Counters shared by every connection. */
    static final class Totals {
        final LongAdder connected = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder dropped = new LongAdder();
        final LongAdder frames = new LongAdder();
        final LongAdder bytes = new LongAdder();
        final LongAdder probeComments = new LongAdder();
        final Histogram latency = new Histogram();
        volatile boolean measuring;
    }

    record Options(String label, String dialect, URI url, String appId, String secret, String room, int connections,
                   double commentsPerSecond, double likesPerSecond, int hold, int serverCore, List<Long> serverPids, String jcmd) {
    }

    private final Options o;
    private final PrintStream out;

    ChatBench(Options o, PrintStream out) {
        this.o = o;
        this.out = out;
    }

    void run() throws Exception {
        boolean openlive = o.dialect().equals("openlive");
        Totals totals = new Totals();
        // Probes and senders on a loop of their own, above the bulk listeners in priority: on one core the load tool
        // cannot read 10,000 sockets as fast as a server on another core writes them, and a probe queued behind
        // thousands of other reads measures the load tool, not the server. Listeners that fall behind still hold
        // the server to its slow-reader rules.
        RtmpClientPipeline clients = new RtmpClientPipeline(1, Thread.MAX_PRIORITY);
        RtmpClientPipeline bulk = new RtmpClientPipeline(1, Thread.MIN_PRIORITY);
        List<ChatClient> all = new ArrayList<>();
        List<Channel> channels = new ArrayList<>();
        long rampStart = System.nanoTime();
        try {
            for (int i = 0; i < o.connections(); i++) {
                boolean probe = i % PROBE_EVERY == 0;
                ChatClient c = new ChatClient(totals, probe, openlive ? "{\"op\":\"sub\",\"topics\":[\"comment\",\"like\"]}" : null);
                c.rawAfterHandshake = !probe && i >= MAX_SENDERS;
                all.add(c);
                URI uri = openlive ? URI.create(o.url() + "?room=" + o.room() + "&app=" + o.appId() + "&token=" + token("u" + i)) : o.url();
                channels.add(connect(c.rawAfterHandshake ? bulk : clients, uri, c).channel());
                if (i % 200 == 199) {
                    waitFor(() -> totals.connected.sum() + totals.failed.sum() >= all.size() - 100, 30_000);
                }
            }
            waitFor(() -> totals.connected.sum() + totals.failed.sum() >= all.size(), 60_000);
            double rampSeconds = (System.nanoTime() - rampStart) / 1e9;
            Thread.sleep(2000);
            int senders = (int) Math.min(Math.min(o.connections(), MAX_SENDERS),
                    Math.max(1, Math.ceil(Math.max(o.commentsPerSecond(), o.likesPerSecond() / 10) * 2)));
            Sender sender = new Sender(all.subList(0, senders), openlive, o.commentsPerSecond(), o.likesPerSecond());
            var tick = clients.group.next().scheduleAtFixedRate(sender::tick, 10, 10, TimeUnit.MILLISECONDS);
            Thread.sleep(3000); // warm-up at full load
            long probeCommentsBefore = totals.probeComments.sum();
            long framesBefore = totals.frames.sum();
            long droppedBefore = totals.dropped.sum();
            long sentBefore = sender.comments;
            long[] cpuBefore = ProcSampler.cpu(o.serverCore());
            int loadCore = o.serverCore() == 0 ? 1 : 0;
            long[] loadBefore = ProcSampler.cpu(loadCore);
            totals.measuring = true;
            long t0 = System.nanoTime();
            Thread.sleep(o.hold() * 1000L);
            totals.measuring = false;
            double seconds = (System.nanoTime() - t0) / 1e9;
            long[] cpuAfter = ProcSampler.cpu(o.serverCore());
            long[] loadAfter = ProcSampler.cpu(loadCore);
            long rss = ProcSampler.rssKib(o.serverPids());
            long sent = sender.comments - sentBefore;
            long probes = (o.connections() + PROBE_EVERY - 1) / PROBE_EVERY;
            double perProbe = (totals.probeComments.sum() - probeCommentsBefore) / (double) probes / seconds;
            tick.cancel(false);
            long liveHeap = o.jcmd() == null || o.serverPids().size() != 1 ? -1 : new HeapProbe(o.jcmd(), o.serverPids().get(0)).liveKib();
            double busy = ProcSampler.busyShare(cpuBefore, cpuAfter);
            out.printf("| %s | %d | %.0f/%.0f | %.0f | %.0f | %.0f%% | %.1f | %.1f | %d | %d | %.0f%% | %.1f | %s | %.0f |%n",
                    o.label(), totals.connected.sum(), o.commentsPerSecond(), o.likesPerSecond(), sent / seconds,
                    perProbe * o.connections(), sent == 0 ? 0 : 100.0 * perProbe / (sent / seconds),
                    totals.latency.percentileMs(0.5), totals.latency.percentileMs(0.99),
                    totals.dropped.sum() - droppedBefore, totals.failed.sum(), busy * 100, rss / 1024.0,
                    liveHeap < 0 ? "-" : String.format("%.1f", liveHeap / (double) totals.connected.sum()),
                    (totals.frames.sum() - framesBefore) / seconds);
            out.printf("# ramp %.1f s; %d senders; %d probes; load core busy %.0f%%%n", rampSeconds, senders, probes,
                    ProcSampler.busyShare(loadBefore, loadAfter) * 100);
        } finally {
            for (ChatClient c : all) {
                c.closedByUs = true;
            }
            for (Channel c : channels) {
                c.close();
            }
            clients.close();
            bulk.close();
        }
    }

    static String header() {
        return "| server | connections | comments/likes in per s | comments sent/s | comments delivered/s | delivered share "
                + "| latency p50 ms | p99 ms | dropped | failed | server core busy | RSS MiB | live heap KiB/conn | frames/s received |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|";
    }

    private ChannelFuture connect(RtmpClientPipeline clients, URI uri, ChatClient c) {
        return clients.bootstrap(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(8192),
                        new WebSocketClientProtocolHandler(WebSocketClientHandshakerFactory.newHandshaker(uri, WebSocketVersion.V13, null,
                                false, EmptyHttpHeaders.INSTANCE, 1 << 20), true, true, 30_000), c);
            }
        }).connect(uri.getHost(), uri.getPort());
    }

    /** Sends comments and likes round-robin over the sender connections, paced every 10 ms. */
    static final class Sender {
        private final List<ChatClient> senders;
        private final boolean openlive;
        private final double commentsPerNano;
        private final double likeCallsPerNano;
        private long last = System.nanoTime();
        private double commentsDue;
        private double likesDue;
        private int next;
        private long ids;
        volatile long comments;

        Sender(List<ChatClient> senders, boolean openlive, double commentsPerSecond, double likesPerSecond) {
            this.senders = senders;
            this.openlive = openlive;
            this.commentsPerNano = commentsPerSecond / 1e9;
            this.likeCallsPerNano = likesPerSecond / 10 / 1e9; // a like call carries 10 likes
        }

        void tick() {
            long now = System.nanoTime();
            commentsDue += (now - last) * commentsPerNano;
            likesDue += (now - last) * likeCallsPerNano;
            last = now;
            while (commentsDue >= 1) {
                commentsDue--;
                String text = "t" + System.nanoTime();
                send(openlive ? "{\"id\":" + (++ids) + ",\"op\":\"call\",\"method\":\"comment.send\",\"params\":{\"text\":\"" + text + "\"}}"
                        : "{\"type\":\"comment\",\"text\":\"" + text + "\"}");
                comments++;
            }
            while (likesDue >= 1) {
                likesDue--;
                send(openlive ? "{\"id\":" + (++ids) + ",\"op\":\"call\",\"method\":\"like.send\",\"params\":{\"count\":10}}"
                        : "{\"type\":\"like\",\"count\":10}");
            }
            for (ChatClient c : senders) {
                if (c.ctx != null) {
                    c.ctx.flush();
                }
            }
        }

        private void send(String frame) {
            for (int tries = 0; tries < senders.size(); tries++) {
                ChatClient c = senders.get(next);
                next = (next + 1) % senders.size();
                if (c.ready && c.ctx.channel().isActive()) {
                    c.ctx.write(new TextWebSocketFrame(frame));
                    return;
                }
            }
        }
    }

    private String token(String user) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = b64.encodeToString(("{\"sub\":\"" + user + "\",\"name\":\"" + user + "\",\"exp\":"
                + (System.currentTimeMillis() / 1000 + 86400) + "}").getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(o.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return header + "." + claims + "." + b64.encodeToString(mac.doFinal((header + "." + claims).getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier done, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!done.getAsBoolean() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
    }
}
