package io.openlive.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.openlive.kernel.fmp4.Fmp4Init;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One HLS player on one keep-alive HTTP/1.1 connection, on the load tool's event loop (no thread of its own). It asks
 * one thing at a time, as a player with one connection would:
 * <ul>
 *   <li>classic HLS: starts {@code startTargets} target durations from the live edge, fetches every new segment once,
 *   and reloads the playlist a target duration after the last reload began when it changed, half of one when it did
 *   not (RFC 8216bis 6.3.4);</li>
 *   <li>LL-HLS: starts PART-HOLD-BACK from the live edge, fetches every new part once, and asks for the next part with
 *   a blocking reload ({@code _HLS_msn}/{@code _HLS_part}, 6.2.5.2), optionally as a delta update
 *   ({@code _HLS_skip=YES}).</li>
 * </ul>
 * Every chunk goes into a {@link PlaybackBuffer}; its last video frame's media time, read from the bytes, gives when
 * the publisher sent it.
 */
final class HlsViewer {
    enum Mode { HLS, LL_HLS }

    private static final int TAIL = 64 * 1024;

    private record Chunk(String uri, long durationNanos, long listedAtNanos) {
    }

    private final HlsRun run;
    private final URI playlist;
    private final Mode mode;
    private final boolean skip;
    private final double startTargets;
    private final Function<HlsViewer, ChannelFuture> connector;
    final PlaybackBuffer buffer = new PlaybackBuffer();
    private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
    private Channel channel;
    private volatile boolean closed;
    private boolean failedToStart;

    private Chunk inFlight;
    private boolean playlistInFlight;
    private long playlistStartedNanos;
    private boolean first = true;
    /** Classic: the newest segment queued. LL-HLS: the newest part queued. */
    private long lastMsn = -1;
    private int lastPart = -1;
    private double targetDuration = 2;
    /** The last playlist listed something new: the next classic reload comes a target duration later, else half. */
    private boolean lastReloadChanged;
    private boolean canSkip;
    /** When the newest chunk's last frame was sent (System.nanoTime), -1 if unknown. */
    long lastChunkSentNanos = -1;

    HlsViewer(HlsRun run, URI playlist, Mode mode, boolean skip, double startTargets, Function<HlsViewer, ChannelFuture> connector) {
        this.run = run;
        this.playlist = playlist;
        this.mode = mode;
        this.skip = skip;
        this.startTargets = startTargets;
        this.connector = connector;
    }

    /** The Netty handler of this viewer's current connection. */
    SimpleChannelInboundHandler<FullHttpResponse> handler() {
        return new SimpleChannelInboundHandler<>() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                channel = ctx.channel();
                next();
            }

            @Override
            protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
                onResponse(response);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                // a server closing a keep-alive connection: ask again on a new one, as a player's connection pool does
                if (!closed) {
                    run.reconnects.increment();
                    if (inFlight != null) {
                        queue.addFirst(inFlight);
                        inFlight = null;
                    }
                    playlistInFlight = false;
                    ctx.channel().eventLoop().schedule(HlsViewer.this::connect, 50, TimeUnit.MILLISECONDS);
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                run.error("connection: " + cause);
                ctx.close();
            }
        };
    }

    void connect() {
        if (closed) {
            return;
        }
        connector.apply(this).addListener(f -> {
            if (!f.isSuccess()) {
                run.error("connect: " + f.cause());
                failedToStart |= !buffer.started();
            }
        });
    }

    void close() {
        closed = true;
        if (channel != null) {
            channel.close();
        }
    }

    boolean failedToStart() {
        return failedToStart;
    }

    private void next() {
        if (closed || channel == null || !channel.isActive() || inFlight != null || playlistInFlight) {
            return;
        }
        if (!queue.isEmpty()) {
            inFlight = queue.poll();
            get(playlist.resolve(inFlight.uri()));
            return;
        }
        if (first || mode == Mode.HLS) {
            long due = first ? 0 : playlistStartedNanos + (long) (targetDuration * 1e9 / (lastReloadChanged ? 1 : 2));
            long wait = due - System.nanoTime();
            if (wait > 0) {
                channel.eventLoop().schedule(this::reload, wait, TimeUnit.NANOSECONDS);
            } else {
                reload();
            }
        } else {
            reload();
        }
    }

    private void reload() {
        if (closed || channel == null || !channel.isActive() || inFlight != null || playlistInFlight) {
            return;
        }
        playlistInFlight = true;
        playlistStartedNanos = System.nanoTime();
        if (mode == Mode.LL_HLS && !first) {
            get(blockingUri(playlist, lastMsn, lastPart + 1, skip && canSkip));
        } else {
            get(playlist);
        }
    }

    /** The playlist URI asking for part {@code part} of segment {@code msn} (or later), as a delta update if {@code skip}. */
    static URI blockingUri(URI playlist, long msn, int part, boolean skip) {
        String q = "_HLS_msn=" + msn + "&_HLS_part=" + part + (skip ? "&_HLS_skip=YES" : "");
        String s = playlist.toString();
        return URI.create(s + (playlist.getRawQuery() == null ? "?" : "&") + q);
    }

    private void get(URI uri) {
        String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, target);
        request.headers().set(HttpHeaderNames.HOST, uri.getHost() + ":" + uri.getPort());
        run.requests.increment();
        channel.writeAndFlush(request);
    }

    private void onResponse(FullHttpResponse response) {
        long now = System.nanoTime();
        int status = response.status().code();
        int length = response.content().readableBytes();
        run.bytes.add(length);
        if (playlistInFlight) {
            playlistInFlight = false;
            if (status == 200) {
                try {
                    onPlaylist(now, HlsPlaylist.parse(response.content().toString(StandardCharsets.UTF_8)));
                } catch (RuntimeException e) {
                    run.error("playlist: " + e.getMessage());
                    retryLater();
                    return;
                }
            } else {
                run.error("playlist: HTTP " + status);
                retryLater();
                return;
            }
        } else if (inFlight != null) {
            Chunk c = inFlight;
            inFlight = null;
            if (status == 200) {
                onChunk(now, c, response.content());
            } else {
                run.error("media: HTTP " + status + " for " + c.uri());
            }
        }
        next();
    }

    private void retryLater() {
        channel.eventLoop().schedule(this::next, (long) (targetDuration * 500), TimeUnit.MILLISECONDS);
    }

    private void onPlaylist(long now, HlsPlaylist p) {
        targetDuration = p.targetDuration();
        canSkip = p.canSkipUntil() > 0;
        if (run.measuring) {
            java.time.Instant edge = p.liveEdge();
            if (edge != null) {
                long wallNow = System.currentTimeMillis();
                run.edgeAge.record((wallNow - edge.toEpochMilli()) * 1_000_000L);
            }
        }
        int before = queue.size();
        if (mode == Mode.HLS) {
            queueSegments(now, p);
        } else {
            queueParts(now, p);
        }
        lastReloadChanged = queue.size() > before;
        first = false;
    }

    private void queueSegments(long now, HlsPlaylist p) {
        List<HlsPlaylist.Segment> segments = p.segments();
        if (segments.isEmpty()) {
            return;
        }
        int from;
        if (first) {
            from = startIndex(segments.stream().mapToDouble(HlsPlaylist.Segment::duration).toArray(), startTargets * p.targetDuration());
        } else {
            from = segments.size();
            for (int i = 0; i < segments.size(); i++) {
                if (segments.get(i).msn() > lastMsn) {
                    from = i;
                    break;
                }
            }
            if (from < segments.size() && segments.get(from).msn() > lastMsn + 1) {
                run.error("gap: segment " + (lastMsn + 1) + " left the playlist before it was fetched");
            }
        }
        for (int i = from; i < segments.size(); i++) {
            HlsPlaylist.Segment s = segments.get(i);
            queue.add(new Chunk(s.uri(), (long) (s.duration() * 1e9), first ? -1 : now));
            lastMsn = s.msn();
        }
    }

    private void queueParts(long now, HlsPlaylist p) {
        List<HlsPlaylist.Part> parts = p.allParts();
        if (parts.isEmpty()) {
            return;
        }
        int from;
        if (first) {
            from = startIndex(parts.stream().mapToDouble(HlsPlaylist.Part::duration).toArray(), p.partHoldBack() > 0 ? p.partHoldBack() : 3 * p.partTarget());
        } else {
            from = parts.size();
            for (int i = 0; i < parts.size(); i++) {
                if (parts.get(i).after(lastMsn, lastPart)) {
                    from = i;
                    break;
                }
            }
            if (from < parts.size()) {
                HlsPlaylist.Part f = parts.get(from);
                boolean successor = (f.msn() == lastMsn && f.index() == lastPart + 1) || (f.msn() == lastMsn + 1 && f.index() == 0);
                if (!successor) {
                    run.error("gap: part " + lastMsn + "." + (lastPart + 1) + " not listed before " + f.msn() + "." + f.index());
                }
            }
        }
        for (int i = from; i < parts.size(); i++) {
            HlsPlaylist.Part part = parts.get(i);
            queue.add(new Chunk(part.uri(), (long) (part.duration() * 1e9), first ? -1 : now));
            lastMsn = part.msn();
            lastPart = part.index();
        }
    }

    /**
     * Where a player joins: the latest chunk from which at least {@code seconds} of media are listed to the end (the
     * first chunk when the playlist holds less).
     */
    static int startIndex(double[] durations, double seconds) {
        double sum = 0;
        for (int i = durations.length - 1; i >= 0; i--) {
            sum += durations[i];
            if (sum >= seconds - 1e-6) {
                return i;
            }
        }
        return 0;
    }

    /**
     * The last video frame of an MPEG-TS segment is near its end: its last 64 KiB (whole packets) are read first, so
     * the load tool copies a tenth of each segment instead of all of it; the whole segment only when that holds none.
     */
    private static long lastVideoMsTs(ByteBuf content) {
        int length = content.readableBytes();
        int skip = Math.max(0, (length - TAIL) / 188 * 188);
        long ms = MediaTimes.lastVideoMsTs(ByteBufUtil.getBytes(content, content.readerIndex() + skip, length - skip));
        return ms >= 0 || skip == 0 ? ms : MediaTimes.lastVideoMsTs(ByteBufUtil.getBytes(content));
    }

    private void onChunk(long now, Chunk c, ByteBuf content) {
        buffer.append(now, c.durationNanos());
        boolean ts = c.uri().endsWith(".ts") || c.uri().contains(".ts?");
        long mediaMs = ts ? lastVideoMsTs(content) : MediaTimes.lastVideoMsFmp4(ByteBufUtil.getBytes(content), Fmp4Init.VIDEO_TRACK);
        if (mediaMs < 0) {
            run.error("media: no video frame in " + c.uri());
            return;
        }
        long sent = run.sentNanos(mediaMs);
        if (sent < 0) {
            return;
        }
        lastChunkSentNanos = sent;
        if (run.measuring && c.listedAtNanos() >= 0) {
            run.listed(c.uri(), c.listedAtNanos(), sent);
            run.receivedDelay.record(now - sent);
        }
    }
}
