package io.openlive.kernel.flv;

import io.netty.buffer.ByteBuf;

import java.util.function.Consumer;

/**
 * Incremental FLV stream parser: feed it bytes as they arrive, in any fragment size, and it hands out complete tags.
 *
 * <p>States: {@code HEADER → TAG_HEADER ⇄ TAG_BODY}, and {@code FAILED} once input is malformed, after which every
 * {@link #feed} throws the same {@link FlvException}. A tag larger than {@code maxTagSize} (default
 * {@link #DEFAULT_MAX_TAG_SIZE}) is rejected before its body is buffered, so memory stays bounded by one tag.
 * Usage: {@code reader.feed(bytes, tag -> { use(tag); tag.data().release(); });}
 */
public final class FlvReader {
    /** 16 MiB: far above any real frame (a 4K intra frame is a few MiB), far below what would hurt the heap. */
    public static final int DEFAULT_MAX_TAG_SIZE = 16 << 20;

    private enum State { HEADER, TAG_HEADER, TAG_BODY, FAILED }

    private final int maxTagSize;
    private State state = State.HEADER;
    private int tagType;
    private int tagTimestamp;
    private int tagSize;
    private String failure;
    private boolean hasAudio;
    private boolean hasVideo;

    public FlvReader() {
        this(DEFAULT_MAX_TAG_SIZE);
    }

    public FlvReader(int maxTagSize) {
        this.maxTagSize = maxTagSize;
    }

    public boolean hasAudio() {
        return hasAudio;
    }

    public boolean hasVideo() {
        return hasVideo;
    }

    /**
     * Consumes as many complete units from {@code in} as it holds and leaves the rest readable for the next call
     * (the caller accumulates). Tags are handed out as retained slices owned by the consumer.
     */
    public void feed(ByteBuf in, Consumer<FlvTag> out) {
        while (true) {
            switch (state) {
                case HEADER -> {
                    if (in.readableBytes() < FlvWriter.HEADER_SIZE) {
                        return;
                    }
                    int i = in.readerIndex();
                    if (in.getByte(i) != 'F' || in.getByte(i + 1) != 'L' || in.getByte(i + 2) != 'V') {
                        fail("not an FLV stream: bad signature");
                    }
                    int flags = in.getUnsignedByte(i + 4);
                    long headerSize = in.getUnsignedInt(i + 5);
                    if (headerSize != 9) {
                        fail("unsupported FLV header size " + headerSize); // E.2: 9 for FLV version 1
                    }
                    hasAudio = (flags & 0x04) != 0;
                    hasVideo = (flags & 0x01) != 0;
                    in.skipBytes(FlvWriter.HEADER_SIZE);
                    state = State.TAG_HEADER;
                }
                case TAG_HEADER -> {
                    if (in.readableBytes() < 11) {
                        return;
                    }
                    int type = in.readUnsignedByte();
                    if ((type & 0x20) != 0) {
                        fail("encrypted FLV tags are not supported"); // E.4.1 Filter bit
                    }
                    tagType = type & 0x1F;
                    tagSize = in.readUnsignedMedium();
                    int low = in.readUnsignedMedium();
                    tagTimestamp = (in.readUnsignedByte() << 24) | low;
                    in.skipBytes(3); // StreamID, always 0
                    if (tagSize > maxTagSize) {
                        fail("tag of " + tagSize + " bytes exceeds limit " + maxTagSize);
                    }
                    state = State.TAG_BODY;
                }
                case TAG_BODY -> {
                    if (in.readableBytes() < tagSize + 4) {
                        return;
                    }
                    ByteBuf data = in.readRetainedSlice(tagSize);
                    long previous = in.readUnsignedInt();
                    if (previous != 11L + tagSize && previous != 0) {
                        data.release();
                        fail("PreviousTagSize " + previous + " does not match tag of " + tagSize + " bytes");
                    }
                    state = State.TAG_HEADER;
                    out.accept(new FlvTag(tagType, tagTimestamp, data));
                }
                case FAILED -> throw new FlvException(failure);
            }
        }
    }

    private void fail(String reason) {
        state = State.FAILED;
        failure = reason;
        throw new FlvException(reason);
    }
}
