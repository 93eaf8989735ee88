package io.openlive.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.openlive.kernel.codec.AudioTag;
import io.openlive.kernel.codec.VideoTag;
import io.openlive.kernel.flv.FlvReader;
import io.openlive.kernel.flv.FlvTagType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An FLV file loaded into memory to be published in a loop: its sequence headers once, then its media tags with
 * timestamps shifted by the file's duration on each pass so the stream's clock only goes forward.
 */
final class FlvSource {
    record Tag(int type, int timestamp, byte[] body) {
    }

    final List<Tag> headers = new ArrayList<>();
    final List<Tag> media = new ArrayList<>();
    final int durationMs;
    final long bytes;

    private FlvSource(List<Tag> all) {
        long total = 0;
        int last = 0;
        for (Tag t : all) {
            ByteBuf b = Unpooled.wrappedBuffer(t.body());
            boolean header = t.type() == FlvTagType.SCRIPT
                    || (t.type() == FlvTagType.VIDEO && VideoTag.isSequenceHeader(b))
                    || (t.type() == FlvTagType.AUDIO && AudioTag.isSequenceHeader(b));
            if (header) {
                if (t.type() != FlvTagType.SCRIPT) {
                    headers.add(t);
                }
            } else {
                media.add(t);
                last = Math.max(last, t.timestamp());
                total += t.body().length;
            }
        }
        this.durationMs = last + 33;
        this.bytes = total;
    }

    static FlvSource load(Path file) throws IOException {
        List<Tag> tags = new ArrayList<>();
        ByteBuf in = Unpooled.wrappedBuffer(Files.readAllBytes(file));
        new FlvReader().feed(in, t -> {
            byte[] body = new byte[t.data().readableBytes()];
            t.data().readBytes(body);
            t.data().release();
            tags.add(new Tag(t.type(), t.timestamp(), body));
        });
        return new FlvSource(tags);
    }

    double bitrateMbps() {
        return bytes * 8.0 / durationMs / 1000.0;
    }
}
