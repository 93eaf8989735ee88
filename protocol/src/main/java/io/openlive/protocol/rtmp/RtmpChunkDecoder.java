package io.openlive.protocol.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.openlive.kernel.amf0.Amf0Exception;
import io.openlive.kernel.amf0.Amf0Reader;
import io.openlive.kernel.amf3.Amf3Exception;
import io.openlive.kernel.amf3.Amf3Reader;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reassembles RTMP chunks into messages (RTMP specification 1.0, 5.3) and parses each into an {@link RtmpMessage}.
 *
 * <p>A chunk is consumed only once it is wholly present, so the decoder works at any fragment size without a state per byte.
 * Set Chunk Size and Abort take effect here, as they change how the following bytes are read. Limits come from
 * {@link RtmpDecoderConfig}. On bad input (chunk size 0 or with the top bit set, a chunk stream continued without a type-0
 * header of type 2 or 3, a message over the limit, malformed AMF) it emits one {@link RtmpMessage.Malformed}, releases what it holds and
 * discards all further bytes; the handler above closes the connection.
 */
public final class RtmpChunkDecoder extends ByteToMessageDecoder {
    private static final int MAX_TIMESTAMP_FIELD = 0xFFFFFF;

    private RtmpDecoderConfig config;
    private RtmpBufferBudget budget;
    /** What the peer last asked for in Set Chunk Size; the size in force is capped by the message size limit. */
    private int requestedChunkSize = RtmpChunkWriter.DEFAULT_CHUNK_SIZE;
    private final Map<Integer, ChunkStream> streams = new LinkedHashMap<>();
    private int chunkSize = RtmpChunkWriter.DEFAULT_CHUNK_SIZE;
    private int pendingBytes;
    private long bytesReceived;
    private boolean failed;

    /** What is known of one chunk stream: the last header and a message being reassembled. */
    private static final class ChunkStream {
        /** The timestamp of the last complete message; an aborted one never becomes it. */
        int timestamp;
        /** The timestamp of the message being reassembled, committed to {@link #timestamp} when it completes. */
        int messageTimestamp;
        int timestampField;
        int length;
        int type;
        int streamId;
        boolean extended;
        boolean headerSeen;
        ByteBuf partial;
    }

    public RtmpChunkDecoder(RtmpDecoderConfig config) {
        this.config = config;
    }

    public RtmpChunkDecoder() {
        this(RtmpDecoderConfig.defaults());
    }

    /**
     * Changes the limits, typically raising them from {@link RtmpDecoderConfig#beforePublish()} once the connection has
     * proved a stream key. The chunk size in force is the peer's, capped by the new message size limit: with every
     * message within that limit, a cap at or above it reads the same chunks as the peer's size (5.4.1).
     */
    public void limits(RtmpDecoderConfig config) {
        this.config = config;
        this.chunkSize = Math.min(requestedChunkSize, config.maxMessageSize());
    }

    /** Shares a node-wide budget of bytes held in partly received messages ({@link RtmpBufferBudget}). */
    public void budget(RtmpBufferBudget budget) {
        this.budget = budget;
    }

    /** Total bytes consumed from the peer, for Acknowledgement (5.4.3). */
    public long bytesReceived() {
        return bytesReceived;
    }

    public int chunkSize() {
        return chunkSize;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            while (in.isReadable()) {
                int start = in.readerIndex();
                if (!readChunk(ctx, in, out)) {
                    in.readerIndex(start);
                    return;
                }
                bytesReceived += in.readerIndex() - start;
            }
        } catch (RtmpProtocolException | Amf0Exception | Amf3Exception e) {
            fail(in, out, e.getMessage());
        }
    }

    private boolean readChunk(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        // 5.3.1.1 Chunk Basic Header
        int first = in.readUnsignedByte();
        int fmt = first >> 6;
        int csid = first & 0x3F;
        if (csid == 0) {
            if (!in.isReadable()) {
                return false;
            }
            csid = 64 + in.readUnsignedByte();
        } else if (csid == 1) {
            if (in.readableBytes() < 2) {
                return false;
            }
            csid = 64 + in.readUnsignedShortLE();
        }
        int headerSize = switch (fmt) {
            case 0 -> 11;
            case 1 -> 7;
            case 2 -> 3;
            default -> 0;
        };
        if (in.readableBytes() < headerSize) {
            return false;
        }
        ChunkStream cs = streams.get(csid);
        if (cs == null) {
            // librtmp opens chunk stream 2 (protocol control) with a type-1 header: it lacks only the message stream id,
            // which is 0 there anyway, and its timestamp delta counts from 0. Types 2 and 3 lack the length: refused.
            if (fmt > 1) {
                throw new RtmpProtocolException("chunk stream " + csid + " starts with a type-" + fmt + " header");
            }
            if (streams.size() >= config.maxChunkStreams()) {
                throw new RtmpProtocolException("more than " + config.maxChunkStreams() + " chunk streams");
            }
        }
        // 5.3.1.2 Chunk Message Header, parsed into locals and committed only when the whole chunk is here
        int tsField = 0;
        int length = cs == null ? 0 : cs.length;
        int type = cs == null ? 0 : cs.type;
        int streamId = cs == null ? 0 : cs.streamId;
        if (fmt <= 2) {
            tsField = in.readUnsignedMedium();
        }
        if (fmt <= 1) {
            length = in.readUnsignedMedium();
            type = in.readUnsignedByte();
        }
        if (fmt == 0) {
            streamId = in.readIntLE();
        }
        boolean extended = fmt <= 2 ? tsField == MAX_TIMESTAMP_FIELD : cs.extended;
        if (extended) {
            // 5.3.1.3 Extended Timestamp; present on type-3 chunks too when the stream's last header needed it
            if (in.readableBytes() < 4) {
                return false;
            }
            if (fmt <= 2) {
                tsField = in.readInt();
            } else if (in.getInt(in.readerIndex()) == cs.timestampField) {
                in.skipBytes(4);
            }
            // else: an encoder that omits the field on type-3 chunks (some do, against 5.3.1.3); those 4 bytes are
            // payload. Peeking and comparing with the header's value tells the two apart, as mature servers do.
        }
        boolean continuing = cs != null && cs.partial != null;
        if (continuing && fmt != 3) {
            throw new RtmpProtocolException("chunk stream " + csid + ": type-" + fmt + " header inside a message");
        }
        if (length > config.maxMessageSize()) {
            throw new RtmpProtocolException("message of " + length + " bytes exceeds limit " + config.maxMessageSize());
        }
        int received = continuing ? cs.partial.writerIndex() : 0;
        int payload = Math.min(chunkSize, length - received);
        if (in.readableBytes() < payload) {
            return false;
        }
        if (cs == null) {
            cs = new ChunkStream();
            streams.put(csid, cs);
        }
        if (!continuing) {
            cs.messageTimestamp = switch (fmt) {
                case 0 -> tsField;
                case 1, 2 -> cs.timestamp + tsField;
                default -> cs.timestamp + cs.timestampField; // a new message under a type-3 header repeats the delta
            };
            if (fmt <= 2) {
                cs.timestampField = tsField;
                cs.extended = extended;
            }
            cs.length = length;
            cs.type = type;
            cs.streamId = streamId;
            cs.headerSeen = true;
            if (length == 0) {
                cs.timestamp = cs.messageTimestamp;
                emit(ctx, cs, ctx.alloc().buffer(0), out);
                return true;
            }
            if (pendingBytes + length > config.maxPendingBytes()) {
                throw new RtmpProtocolException("partly received messages exceed " + config.maxPendingBytes() + " bytes");
            }
            if (budget != null && !budget.tryReserve(length)) {
                throw new RtmpProtocolException("the node's buffer budget for partly received messages (" + budget.limit() + " bytes) is spent");
            }
            // Grows with the bytes actually received, so a declared length costs nothing until it is sent.
            cs.partial = ctx.alloc().buffer(Math.min(length, Math.max(chunkSize, 4096)), length);
            pendingBytes += length;
        }
        cs.partial.writeBytes(in, payload);
        if (cs.partial.writerIndex() == cs.length) {
            ByteBuf message = cs.partial;
            cs.partial = null;
            pendingBytes -= cs.length;
            releaseBudget(cs.length);
            cs.timestamp = cs.messageTimestamp;
            emit(ctx, cs, message, out);
        }
        return true;
    }

    private void emit(ChannelHandlerContext ctx, ChunkStream cs, ByteBuf payload, List<Object> out) {
        if (cs.type == RtmpMessage.AGGREGATE) {
            try {
                splitAggregate(ctx, cs.timestamp, cs.streamId, payload, out);
            } finally {
                payload.release();
            }
            return;
        }
        RtmpMessage message;
        try {
            message = parse(cs.type, cs.timestamp, cs.streamId, payload);
        } finally {
            if (cs.type != RtmpMessage.AUDIO && cs.type != RtmpMessage.VIDEO) {
                payload.release();
            }
        }
        switch (message) {
            case RtmpMessage.SetChunkSize s -> {
                requestedChunkSize = s.size();
                chunkSize = Math.min(s.size(), config.maxMessageSize());
            }
            case RtmpMessage.Abort a -> abort(a.chunkStreamId());
            default -> {
            }
        }
        out.add(message);
    }

    private RtmpMessage parse(int type, int timestamp, int streamId, ByteBuf p) {
        return switch (type) {
            case RtmpMessage.SET_CHUNK_SIZE -> {
                long size = need(p, 4, "Set Chunk Size").getUnsignedInt(p.readerIndex());
                // 5.4.1: the first bit must be zero; a size of zero would never advance
                if (size == 0 || size > 0x7FFFFFFFL) {
                    throw new RtmpProtocolException("chunk size " + size);
                }
                yield new RtmpMessage.SetChunkSize((int) size);
            }
            case RtmpMessage.ABORT -> new RtmpMessage.Abort(need(p, 4, "Abort").getInt(p.readerIndex()));
            case RtmpMessage.ACKNOWLEDGEMENT -> new RtmpMessage.Acknowledgement(need(p, 4, "Acknowledgement").getUnsignedInt(p.readerIndex()));
            case RtmpMessage.WINDOW_ACK_SIZE -> new RtmpMessage.WindowAckSize(need(p, 4, "Window Acknowledgement Size").getUnsignedInt(p.readerIndex()));
            case RtmpMessage.SET_PEER_BANDWIDTH -> new RtmpMessage.SetPeerBandwidth(
                    need(p, 5, "Set Peer Bandwidth").getUnsignedInt(p.readerIndex()), p.getUnsignedByte(p.readerIndex() + 4));
            case RtmpMessage.USER_CONTROL -> {
                int event = need(p, 6, "User Control").getUnsignedShort(p.readerIndex());
                long value = p.getUnsignedInt(p.readerIndex() + 2);
                long value2 = p.readableBytes() >= 10 ? p.getUnsignedInt(p.readerIndex() + 6) : 0;
                yield new RtmpMessage.UserControl(event, value, value2);
            }
            case RtmpMessage.AUDIO -> new RtmpMessage.AudioData(timestamp, streamId, p);
            case RtmpMessage.VIDEO -> new RtmpMessage.VideoData(timestamp, streamId, p);
            case RtmpMessage.DATA_AMF0 -> new RtmpMessage.Data(timestamp, streamId, Amf0Reader.readAll(p));
            case RtmpMessage.DATA_AMF3 -> new RtmpMessage.Data(timestamp, streamId, Amf3Reader.readMessage(skipAmf3Marker(p)));
            case RtmpMessage.COMMAND_AMF0 -> command(streamId, Amf0Reader.readAll(p));
            case RtmpMessage.COMMAND_AMF3 -> command(streamId, Amf3Reader.readMessage(skipAmf3Marker(p)));
            default -> new RtmpMessage.Unknown(type, streamId, p.readableBytes());
        };
    }

    /**
     * 7.1.6 Aggregate Message: FLV-tag-shaped sub-messages (header of 11 bytes, body, back pointer of 4). Their timestamps
     * are shifted so that the first one equals the aggregate's own. Only audio, video and data sub-messages are allowed.
     * Aggregates are rare (relays and some servers send them), so each body is copied rather than sliced.
     */
    private void splitAggregate(ChannelHandlerContext ctx, int timestamp, int streamId, ByteBuf p, List<Object> out) {
        int base = -1;
        while (p.isReadable()) {
            if (p.readableBytes() < 11) {
                throw new RtmpProtocolException("aggregate sub-message header truncated");
            }
            int type = p.readUnsignedByte();
            int size = p.readUnsignedMedium();
            int subTimestamp = p.readUnsignedMedium() | (p.readUnsignedByte() << 24);
            p.skipBytes(3); // stream id, the aggregate's own applies
            if (type != RtmpMessage.AUDIO && type != RtmpMessage.VIDEO && type != RtmpMessage.DATA_AMF0) {
                throw new RtmpProtocolException("aggregate carries message type " + type);
            }
            if (p.readableBytes() < size + 4) {
                throw new RtmpProtocolException("aggregate sub-message of " + size + " bytes truncated");
            }
            if (base < 0) {
                base = subTimestamp;
            }
            // a buffer of its own, so each sub-message is owned and released like any other message
            ByteBuf body = ctx.alloc().buffer(size).writeBytes(p, size);
            p.skipBytes(4); // back pointer
            int ts = timestamp + (subTimestamp - base);
            if (type == RtmpMessage.DATA_AMF0) {
                try {
                    out.add(new RtmpMessage.Data(ts, streamId, Amf0Reader.readAll(body)));
                } finally {
                    body.release();
                }
            } else {
                out.add(type == RtmpMessage.AUDIO ? new RtmpMessage.AudioData(ts, streamId, body) : new RtmpMessage.VideoData(ts, streamId, body));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static RtmpMessage command(int streamId, List<Object> values) {
        if (values.isEmpty() || !(values.get(0) instanceof String name)) {
            throw new RtmpProtocolException("command without a name");
        }
        double transactionId = values.size() > 1 && values.get(1) instanceof Double d ? d : 0;
        Map<String, Object> object = values.size() > 2 && values.get(2) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        List<Object> arguments = values.size() > 3 ? new ArrayList<>(values.subList(3, values.size())) : List.of();
        return new RtmpMessage.Command(streamId, name, transactionId, object, arguments);
    }

    /**
     * Types 15 and 17 start with a format byte of 0 followed by AMF0 (7.1.2, 7.1.1) in which each AMF 3 value follows an
     * avmplus-object-marker (0x11); some clients leave the byte out and start with the AMF0 value, or the marker, itself.
     * Only a 0 is skipped, so all of these decode.
     */
    private static ByteBuf skipAmf3Marker(ByteBuf p) {
        if (p.isReadable() && p.getByte(p.readerIndex()) == 0) {
            p.skipBytes(1);
        }
        return p;
    }

    private static ByteBuf need(ByteBuf p, int bytes, String what) {
        if (p.readableBytes() < bytes) {
            throw new RtmpProtocolException(what + " of " + p.readableBytes() + " bytes");
        }
        return p;
    }

    private void abort(int csid) {
        ChunkStream cs = streams.get(csid);
        if (cs != null && cs.partial != null) {
            pendingBytes -= cs.length;
            releaseBudget(cs.length);
            cs.partial.release();
            cs.partial = null;
        }
    }

    private void releaseBudget(long bytes) {
        if (budget != null) {
            budget.release(bytes);
        }
    }

    private void fail(ByteBuf in, List<Object> out, String reason) {
        failed = true;
        in.skipBytes(in.readableBytes());
        releasePartials();
        out.add(new RtmpMessage.Malformed(reason));
    }

    private void releasePartials() {
        for (ChunkStream cs : streams.values()) {
            if (cs.partial != null) {
                cs.partial.release();
                cs.partial = null;
            }
        }
        releaseBudget(pendingBytes);
        pendingBytes = 0;
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        releasePartials();
    }
}
