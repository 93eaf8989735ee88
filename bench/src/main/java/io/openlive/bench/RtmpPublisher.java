package io.openlive.bench;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.openlive.protocol.rtmp.RtmpMessage;
import io.openlive.protocol.rtmp.RtmpServerHandshake;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Publishes an {@link FlvSource} in real time over RTMP and remembers when each timestamp was sent, so viewers can tell
 * their exact delay. Pacing runs on the client event loop every few milliseconds.
 */
final class RtmpPublisher extends ChannelInboundHandlerAdapter {
    private final FlvSource source;
    private final String app;
    private final String key;
    final CompletableFuture<Void> publishing = new CompletableFuture<>();
    /** Stream timestamp → System.nanoTime() when sent; video and audio share one clock. */
    final Map<Integer, Long> sentAt = new ConcurrentHashMap<>();
    volatile long startNanos;
    private Channel channel;
    private int index;
    private int loop;

    RtmpPublisher(FlvSource source, String app, String key) {
        this.source = source;
        this.app = app;
        this.key = key;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof RtmpServerHandshake.Completed) {
            channel = ctx.channel();
            ctx.write(new RtmpMessage.SetChunkSize(4096));
            ctx.writeAndFlush(new RtmpMessage.Command(0, "connect", 1, Map.of("app", app, "type", "nonprivate",
                    "tcUrl", "rtmp://127.0.0.1/" + app), List.of()));
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof RtmpMessage.Command c) {
                switch (c.name()) {
                    case "_result" -> {
                        if (c.transactionId() == 1) {
                            ctx.writeAndFlush(new RtmpMessage.Command(0, "createStream", 2, Map.of(), List.of()));
                        } else if (c.transactionId() == 2) {
                            ctx.writeAndFlush(new RtmpMessage.Command(1, "publish", 3, Map.of(), List.of(key, "live")));
                        }
                    }
                    case "onStatus" -> {
                        String code = String.valueOf(((Map<?, ?>) c.arguments().get(0)).get("code"));
                        if (code.equals("NetStream.Publish.Start")) {
                            start(ctx);
                        } else {
                            publishing.completeExceptionally(new IllegalStateException("publish refused: " + code));
                        }
                    }
                    default -> {
                    }
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void start(ChannelHandlerContext ctx) {
        for (FlvSource.Tag h : source.headers) {
            send(ctx, h.type(), 0, h.body());
        }
        ctx.flush();
        startNanos = System.nanoTime();
        publishing.complete(null);
        ctx.executor().scheduleAtFixedRate(() -> pace(ctx), 0, 5, TimeUnit.MILLISECONDS);
    }

    /** Sends every tag whose time has come; the stream time of a tag is its file time plus whole passes of the file. */
    private void pace(ChannelHandlerContext ctx) {
        long elapsedMs = (System.nanoTime() - startNanos) / 1_000_000;
        boolean wrote = false;
        while (true) {
            FlvSource.Tag t = source.media.get(index);
            int ts = t.timestamp() + loop * source.durationMs;
            if (ts > elapsedMs) {
                break;
            }
            sentAt.put(ts * 2 + (t.type() == 9 ? 1 : 0), System.nanoTime());
            send(ctx, t.type(), ts, t.body());
            wrote = true;
            if (++index == source.media.size()) {
                index = 0;
                loop++;
            }
        }
        if (wrote) {
            ctx.flush();
        }
        if (sentAt.size() > 20_000) {
            int horizon = (int) elapsedMs - 60_000; // keep a minute of history
            sentAt.keySet().removeIf(k -> k / 2 < horizon);
        }
    }

    private static void send(ChannelHandlerContext ctx, int type, int ts, byte[] body) {
        RtmpMessage m = type == 9 ? new RtmpMessage.VideoData(ts, 1, Unpooled.wrappedBuffer(body))
                : type == 8 ? new RtmpMessage.AudioData(ts, 1, Unpooled.wrappedBuffer(body))
                : null;
        if (m != null) {
            ctx.write(m);
        }
    }

    Long sendTime(int type, int ts) {
        return sentAt.get(ts * 2 + (type == 9 ? 1 : 0));
    }

    void close() {
        if (channel != null) {
            channel.close();
        }
    }
}
