package io.openlive.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.openlive.kernel.flv.FlvReader;

/** FLV bytes arriving in pieces (HTTP chunks, WebSocket messages) turned into tags for a viewer's probe. */
final class FlvFeed {
    private final FlvReader reader = new FlvReader();
    private ByteBuf pending;

    FlvFeed(ByteBufAllocator alloc) {
        pending = alloc.buffer(256 * 1024);
    }

    /** Parses what {@code bytes} completes; throws {@code FlvException} on a malformed stream. */
    void feed(ByteBuf bytes, RunContext run, ViewerProbe probe) {
        pending.writeBytes(bytes);
        reader.feed(pending, tag -> {
            probe.onMedia(run, tag.type(), tag.timestamp(), tag.data().readableBytes());
            tag.data().release();
        });
        pending.discardSomeReadBytes();
    }

    void release() {
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }
}
