package io.openlive.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Counts server-to-client WebSocket frames and bytes without decoding them (RFC 6455 section 5.2 headers only, payloads
 * skipped), so that thousands of listening load connections cost the load tool little more than their reads.
 */
final class RawFrameCounter extends ChannelInboundHandlerAdapter {
    private final ChatBench.Totals totals;
    private final ChatClient owner;
    private final byte[] header = new byte[10];
    private int headerHave;
    private long skip;

    RawFrameCounter(ChatBench.Totals totals, ChatClient owner) {
        this.totals = totals;
        this.owner = owner;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf b = (ByteBuf) msg;
        try {
            totals.bytes.add(b.readableBytes());
            while (b.isReadable()) {
                if (skip > 0) {
                    int n = (int) Math.min(skip, b.readableBytes());
                    b.skipBytes(n);
                    skip -= n;
                    continue;
                }
                header[headerHave++] = b.readByte();
                int need = headerLength();
                if (headerHave == need) {
                    skip = payloadLength();
                    headerHave = 0;
                    totals.frames.increment();
                }
            }
        } finally {
            b.release();
        }
    }

    private int headerLength() {
        if (headerHave < 2) {
            return 2;
        }
        int len = header[1] & 0x7F;
        return len == 126 ? 4 : len == 127 ? 10 : 2;
    }

    private long payloadLength() {
        int len = header[1] & 0x7F;
        if (len == 126) {
            return ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
        }
        if (len == 127) {
            long v = 0;
            for (int i = 2; i < 10; i++) {
                v = (v << 8) | (header[i] & 0xFF);
            }
            return v;
        }
        return len;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        owner.channelInactive(ctx);
    }
}
