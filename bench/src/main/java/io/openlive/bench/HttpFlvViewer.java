package io.openlive.bench;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;

/** A load viewer over HTTP-FLV: one GET, then FLV tags parsed from the chunked body. */
final class HttpFlvViewer extends ChannelInboundHandlerAdapter {
    private final RunContext run;
    private final ViewerProbe probe;
    private final String host;
    private final String path;
    private FlvFeed feed;

    HttpFlvViewer(RunContext run, ViewerProbe probe, String host, String path) {
        this.run = run;
        this.probe = probe;
        this.host = host;
        this.path = path;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        DefaultFullHttpRequest get = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
        get.headers().set(HttpHeaderNames.HOST, host);
        ctx.writeAndFlush(get);
        feed = new FlvFeed(ctx.alloc());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpResponse r && r.status().code() != 200) {
                probe.fail("http " + r.status().code());
                ctx.close();
            }
            if (msg instanceof HttpContent c && c.content().isReadable()) {
                feed.feed(c.content(), run, probe);
            }
        } catch (RuntimeException e) {
            probe.fail(e.getMessage());
            ctx.close();
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (feed != null) {
            feed.release();
        }
        probe.fail("connection closed by server");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        probe.fail(cause.toString());
        ctx.close();
    }
}
