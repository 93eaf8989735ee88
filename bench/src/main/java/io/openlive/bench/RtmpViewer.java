package io.openlive.bench;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.openlive.protocol.rtmp.RtmpMessage;
import io.openlive.protocol.rtmp.RtmpServerHandshake;

import java.util.List;
import java.util.Map;

/** A load viewer over RTMP play: connect, createStream, play, then count media messages. */
final class RtmpViewer extends ChannelInboundHandlerAdapter {
    private final RunContext run;
    private final ViewerProbe probe;
    private final String app;
    private final String name;
    private long received;
    private long acked;
    private long window = 2_500_000;

    RtmpViewer(RunContext run, ViewerProbe probe, String app, String name) {
        this.run = run;
        this.probe = probe;
        this.app = app;
        this.name = name;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof RtmpServerHandshake.Completed) {
            ctx.writeAndFlush(new RtmpMessage.Command(0, "connect", 1, Map.of("app", app, "tcUrl", "rtmp://127.0.0.1/" + app), List.of()));
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            switch (msg) {
                case RtmpMessage.Media m -> {
                    probe.onMedia(run, m.type(), m.timestamp(), m.payload().readableBytes());
                    received += m.payload().readableBytes();
                    if (received - acked > window / 2) { // servers such as nginx-rtmp wait for acknowledgements
                        acked = received;
                        ctx.writeAndFlush(new RtmpMessage.Acknowledgement(received & 0xFFFFFFFFL));
                    }
                }
                case RtmpMessage.WindowAckSize w -> window = w.size();
                case RtmpMessage.Command c when c.name().equals("_result") && c.transactionId() == 1 -> {
                    ctx.write(new RtmpMessage.WindowAckSize(5_000_000));
                    ctx.writeAndFlush(new RtmpMessage.Command(0, "createStream", 2, Map.of(), List.of()));
                }
                case RtmpMessage.Command c when c.name().equals("_result") && c.transactionId() == 2 -> {
                    ctx.write(new RtmpMessage.Command(1, "play", 3, Map.of(), List.of(name)));
                    ctx.writeAndFlush(new RtmpMessage.UserControl(RtmpMessage.UserControl.SET_BUFFER_LENGTH, 1, 1000));
                }
                case RtmpMessage.Command c when c.name().equals("_error") -> probe.fail("rtmp " + c.arguments());
                case RtmpMessage.UserControl u when u.event() == RtmpMessage.UserControl.PING_REQUEST ->
                        ctx.writeAndFlush(new RtmpMessage.UserControl(RtmpMessage.UserControl.PING_RESPONSE, u.value(), 0));
                case RtmpMessage.Malformed bad -> probe.fail("malformed: " + bad.reason());
                default -> {
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        probe.fail("connection closed by server");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        probe.fail(cause.toString());
        ctx.close();
    }
}
