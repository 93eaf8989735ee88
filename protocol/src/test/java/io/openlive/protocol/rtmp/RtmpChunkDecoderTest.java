package io.openlive.protocol.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.openlive.kernel.amf0.Amf0Writer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RtmpChunkDecoderTest {
    private static final PooledByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

    private static ByteBuf payload(int size, int seed) {
        ByteBuf b = Unpooled.buffer(size);
        for (int i = 0; i < size; i++) {
            b.writeByte(i * 31 + seed);
        }
        return b;
    }

    /** Messages from a session in the shape an encoder sends: commands, a chunk size change, media past 2^24 ms. */
    private static List<RtmpMessage> session() {
        Map<String, Object> cmd = new LinkedHashMap<>();
        cmd.put("app", "live");
        cmd.put("tcUrl", "rtmp://127.0.0.1/live");
        return List.of(
                new RtmpMessage.Command(0, "connect", 1, cmd, List.of()),
                new RtmpMessage.WindowAckSize(2_500_000),
                new RtmpMessage.SetChunkSize(4000),
                new RtmpMessage.Command(1, "publish", 5, Map.of(), List.of("sk_key", "live")),
                new RtmpMessage.VideoData(0, 1, payload(9000, 1)),
                new RtmpMessage.AudioData(23, 1, payload(300, 2)),
                new RtmpMessage.VideoData(0xFFFFFF, 1, payload(5000, 3)),
                new RtmpMessage.VideoData(0x7FFFFFF0, 1, payload(4000, 4)),
                new RtmpMessage.UserControl(RtmpMessage.UserControl.SET_BUFFER_LENGTH, 1, 3000));
    }

    private static ByteBuf encode(List<RtmpMessage> messages) {
        ByteBuf wire = Unpooled.buffer();
        int chunkSize = RtmpChunkWriter.DEFAULT_CHUNK_SIZE;
        for (RtmpMessage m : messages) {
            ByteBuf one = RtmpChunkEncoder.encode(ALLOC, m, chunkSize);
            wire.writeBytes(one);
            one.release();
            if (m instanceof RtmpMessage.SetChunkSize s) {
                chunkSize = s.size();
            }
        }
        return wire;
    }

    private static List<String> decode(ByteBuf wire, int fragment) {
        EmbeddedChannel ch = new EmbeddedChannel(new RtmpChunkDecoder());
        ByteBuf in = wire.duplicate();
        while (in.isReadable()) {
            ch.writeInbound(in.readRetainedSlice(Math.min(fragment, in.readableBytes())));
        }
        List<String> out = new ArrayList<>();
        Object m;
        while ((m = ch.readInbound()) != null) {
            out.add(describe((RtmpMessage) m));
        }
        assertThat(ch.finish()).isFalse();
        return out;
    }

    private static String describe(RtmpMessage m) {
        if (m instanceof RtmpMessage.Media media) {
            String s = media.type() + "@" + media.timestamp() + "/" + media.streamId() + ":" + ByteBufUtil.hexDump(media.payload());
            assertThat(media.release()).isTrue();
            return s;
        }
        return m.toString();
    }

    @Test
    void decodesEncodedSessionAtEveryFragmentSize() {
        List<RtmpMessage> messages = session();
        List<String> expected = new ArrayList<>();
        for (RtmpMessage m : messages) {
            expected.add(m instanceof RtmpMessage.Media media
                    ? media.type() + "@" + media.timestamp() + "/" + media.streamId() + ":" + ByteBufUtil.hexDump(media.payload())
                    : m.toString());
        }
        ByteBuf wire = encode(messages);
        for (int fragment : new int[]{1, 2, 3, 5, 7, 11, 13, 127, 128, 129, 1000, 4096, wire.readableBytes()}) {
            assertThat(decode(wire, fragment)).as("fragment size %d", fragment).isEqualTo(expected);
        }
        wire.release();
    }

    @Test
    void typeOneTwoAndThreeHeadersCarryDeltasAndRepeatThem() {
        // RTMP 1.0 5.3.2.1 example 1: audio messages on one chunk stream, type 0 then 2 then 3 (delta 33 repeated)
        ByteBuf wire = Unpooled.buffer();
        wire.writeByte(0x04).writeMedium(1000).writeMedium(2).writeByte(8).writeIntLE(1).writeByte(0xAF).writeByte(0x01);
        wire.writeByte(0x80 | 0x04).writeMedium(33).writeByte(0xAF).writeByte(0x02);
        wire.writeByte(0xC0 | 0x04).writeByte(0xAF).writeByte(0x03);
        wire.writeByte(0x40 | 0x04).writeMedium(20).writeMedium(3).writeByte(8).writeByte(0xAF).writeByte(1).writeByte(4);
        List<String> got = decode(wire, 1);
        assertThat(got).containsExactly("8@1000/1:af01", "8@1033/1:af02", "8@1066/1:af03", "8@1086/1:af0104");
    }

    @Test
    void threeByteBasicHeaderChunkStreamIds() {
        ByteBuf body = Unpooled.wrappedBuffer(new byte[]{1, 2, 3});
        ByteBuf wire = RtmpChunkEncoder.encode(ALLOC, new RtmpMessage.SetChunkSize(2), 128);
        RtmpChunkWriter.write(wire, 70, RtmpMessage.VIDEO, 1, 5, body, 2); // two chunks, 2-byte basic headers
        RtmpChunkWriter.write(wire, 40_000, RtmpMessage.AUDIO, 1, 6, body, 2); // two chunks, 3-byte basic headers
        assertThat(decode(wire, 1)).containsExactly("SetChunkSize[size=2]", "9@5/1:010203", "8@6/1:010203");
        wire.release();
    }

    private static void subMessage(ByteBuf agg, int type, int ts, byte... body) {
        agg.writeByte(type).writeMedium(body.length).writeMedium(ts & 0xFFFFFF).writeByte(ts >>> 24).writeMedium(0);
        agg.writeBytes(body).writeInt(11 + body.length);
    }

    @Test
    void aggregateMessagesAreSplitWithTimestampsRelativeToTheAggregate() {
        ByteBuf agg = Unpooled.buffer();
        subMessage(agg, 9, 5000, (byte) 0x17, (byte) 1, (byte) 0xAA);
        subMessage(agg, 8, 5023, (byte) 0xAF, (byte) 1);
        subMessage(agg, 9, 5033, (byte) 0x27, (byte) 1);
        ByteBuf wire = Unpooled.buffer();
        RtmpChunkWriter.write(wire, 6, RtmpMessage.AGGREGATE, 1, 200, agg, 128);
        agg.release();
        assertThat(decode(wire, 3)).containsExactly("9@200/1:1701aa", "8@223/1:af01", "9@233/1:2701");
        wire.release();
    }

    @Test
    void aggregateWithAControlMessageInsideFails() {
        ByteBuf agg = Unpooled.buffer();
        subMessage(agg, 1, 0, (byte) 0, (byte) 0, (byte) 0x10, (byte) 0);
        ByteBuf wire = Unpooled.buffer();
        RtmpChunkWriter.write(wire, 6, RtmpMessage.AGGREGATE, 1, 0, agg, 128);
        agg.release();
        assertThat(firstFailure(wire).reason()).isEqualTo("aggregate carries message type 1");
    }

    @Test
    void abortDiscardsThePartialMessage() {
        ByteBuf wire = Unpooled.buffer();
        // a 300-byte video message of which only the first 128-byte chunk arrives, then Abort for its chunk stream
        wire.writeByte(0x06).writeMedium(0).writeMedium(300).writeByte(9).writeIntLE(1);
        wire.writeBytes(new byte[128]);
        ByteBuf abort = RtmpChunkEncoder.encode(ALLOC, new RtmpMessage.Abort(6), 128);
        wire.writeBytes(abort);
        abort.release();
        ByteBuf next = RtmpChunkEncoder.encode(ALLOC, new RtmpMessage.VideoData(40, 1, Unpooled.wrappedBuffer(new byte[]{0x17, 1})), 128);
        wire.writeBytes(next);
        next.release();
        assertThat(decode(wire, 7)).containsExactly("Abort[chunkStreamId=6]", "9@40/1:1701");
    }

    private static RtmpMessage.Malformed firstFailure(ByteBuf wire) {
        EmbeddedChannel ch = new EmbeddedChannel(new RtmpChunkDecoder(new RtmpDecoderConfig(1 << 20, 8, 2 << 20)));
        ch.writeInbound(wire);
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[]{0x03, 0, 0, 0}));
        RtmpMessage.Malformed failure = null;
        Object m;
        while ((m = ch.readInbound()) != null) {
            if (m instanceof RtmpMessage.Malformed bad) {
                assertThat(failure).as("one failure only").isNull();
                failure = bad;
            } else {
                io.netty.util.ReferenceCountUtil.release(m);
                assertThat(failure).as("nothing after the failure").isNull();
            }
        }
        assertThat(ch.finish()).isFalse();
        return failure;
    }

    private static ByteBuf control(int type, ByteBuf body) {
        ByteBuf wire = Unpooled.buffer();
        RtmpChunkWriter.write(wire, 2, type, 0, 0, body, 128);
        return wire;
    }

    @Test
    void chunkSizeZeroFails() {
        assertThat(firstFailure(control(1, Unpooled.buffer().writeInt(0))).reason()).isEqualTo("chunk size 0");
    }

    @Test
    void chunkSizeWithTopBitFails() {
        assertThat(firstFailure(control(1, Unpooled.buffer().writeInt(0x80000000))).reason()).isEqualTo("chunk size 2147483648");
    }

    @Test
    void amf3CommandsDecodeWithOrWithoutTheirFormatByte() {
        ByteBuf amf0 = Unpooled.buffer();
        io.openlive.kernel.amf0.Amf0Writer.write(amf0, "connect", 1.0, Map.of("app", "live"));
        for (boolean formatByte : new boolean[]{true, false}) {
            ByteBuf body = Unpooled.buffer();
            if (formatByte) {
                body.writeByte(0); // 7.1.1: the AMF3 command's format selector
            }
            body.writeBytes(amf0, amf0.readerIndex(), amf0.readableBytes());
            ByteBuf wire = Unpooled.buffer();
            RtmpChunkWriter.write(wire, 3, RtmpMessage.COMMAND_AMF3, 0, 0, body, 128);
            assertThat(decode(wire, 4)).as(formatByte ? "with the 0 byte" : "without it")
                    .containsExactly("Command[streamId=0, name=connect, transactionId=1.0, commandObject={app=live}, arguments=[]]");
        }
    }

    /** A type-15 or -17 body as Flash sends it with objectEncoding 3: the format byte, then AMF0 with AMF 3 after each 0x11. */
    private static ByteBuf amf3Message(int type, String bodyHex) {
        ByteBuf body = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(bodyHex.replace(" ", "")));
        ByteBuf wire = Unpooled.buffer();
        RtmpChunkWriter.write(wire, 3, type, 0, 0, body, 128);
        return wire;
    }

    @Test
    void amf3ValuesInACommandDecodeOntoTheAmf0Model() {
        // 0 format byte, AMF0 "connect", AMF0 1.0, then 0x11 and an AMF 3 anonymous object {app: "live", objectEncoding: 3}
        ByteBuf wire = amf3Message(RtmpMessage.COMMAND_AMF3, "00  02 00 07 63 6F 6E 6E 65 63 74  00 3F F0 00 00 00 00 00 00"
                + "  11 0A 0B 01 07 61 70 70 06 09 6C 69 76 65 1D 6F 62 6A 65 63 74 45 6E 63 6F 64 69 6E 67 04 03 01"
                + "  11 06 02"); // and an AMF 3 string sent by reference to "live", from the same message's table
        for (int fragment : new int[]{1, 7, 200}) {
            assertThat(decode(wire, fragment)).as("fragment size %d", fragment).containsExactly(
                    "Command[streamId=0, name=connect, transactionId=1.0, commandObject={app=live, objectEncoding=3.0}, arguments=[live]]");
        }
    }

    @Test
    void amf3MetadataInADataMessageDecodes() {
        // 0 format byte, AMF0 "@setDataFrame", AMF0 "onMetaData", 0x11 and an AMF 3 array with the named member width = 1280
        ByteBuf wire = amf3Message(RtmpMessage.DATA_AMF3, "00  02 00 0D 40 73 65 74 44 61 74 61 46 72 61 6D 65"
                + "  02 00 0A 6F 6E 4D 65 74 61 44 61 74 61  11 09 01 0B 77 69 64 74 68 04 8A 00 01");
        assertThat(decode(wire, 5)).containsExactly("Data[timestamp=0, streamId=0, values=[@setDataFrame, onMetaData, {width=1280.0}]]");
    }

    @Test
    void badAmf3InACommandFailsTheConnectionWithItsReason() {
        // an AMF 3 array that holds itself, and an externalizable object: clean failures, not exceptions out of the pipeline
        assertThat(firstFailure(amf3Message(RtmpMessage.COMMAND_AMF3, "00 02 00 01 78 11 09 03 01 09 00")).reason())
                .isEqualTo("object reference 0 is a cycle: the object contains itself");
        assertThat(firstFailure(amf3Message(RtmpMessage.DATA_AMF3, "00 02 00 01 78 11 0A 07 03 43")).reason())
                .isEqualTo("externalizable object of class 'C': its encoding is known only to that class");
    }

    @Test
    void amf3InAnAmf0CommandIsRefused() {
        // type 20 is AMF0 only (RTMP 7.1.1); the avmplus-object-marker belongs to types 15 and 17
        ByteBuf body = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("020001781106037A"));
        ByteBuf wire = Unpooled.buffer();
        RtmpChunkWriter.write(wire, 3, RtmpMessage.COMMAND_AMF0, 0, 0, body, 128);
        assertThat(firstFailure(wire).reason()).isEqualTo("AMF3 value (avmplus-object-marker) where only AMF0 is allowed");
    }

    @Test
    void chunkStreamWithoutALengthFails() {
        ByteBuf wire = Unpooled.buffer().writeByte(0x80 | 9).writeMedium(0).writeInt(0);
        assertThat(firstFailure(wire).reason()).isEqualTo("chunk stream 9 starts with a type-2 header");
    }

    @Test
    void librtmpOpeningChunkStreamTwoWithATypeOneHeaderIsAccepted() {
        ByteBuf wire = Unpooled.buffer().writeByte(0x40 | 2).writeMedium(0).writeMedium(4).writeByte(5).writeInt(2_500_000);
        assertThat(decode(wire, 1)).containsExactly("WindowAckSize[size=2500000]");
    }

    @Test
    void typeThreeChunksWithoutTheExtendedTimestampKeepTheirPayload() {
        // 5.3.1.3 says type-3 chunks repeat the extended timestamp; some encoders omit it. Both must decode alike.
        byte[] body = new byte[200];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i + 1);
        }
        for (boolean repeated : new boolean[]{true, false}) {
            ByteBuf wire = Unpooled.buffer();
            wire.writeByte(0x06).writeMedium(0xFFFFFF).writeMedium(body.length).writeByte(9).writeIntLE(1).writeInt(0x01000000);
            wire.writeBytes(body, 0, 128);
            wire.writeByte(0xC0 | 0x06);
            if (repeated) {
                wire.writeInt(0x01000000);
            }
            wire.writeBytes(body, 128, 72);
            assertThat(decode(wire, 5)).as(repeated ? "field repeated" : "field omitted")
                    .containsExactly("9@16777216/1:" + ByteBufUtil.hexDump(body));
        }
    }

    @Test
    void typeOneAndTwoHeadersCarryExtendedTimestampDeltas() {
        ByteBuf wire = Unpooled.buffer();
        wire.writeByte(0x06).writeMedium(0xFFFFFF).writeMedium(1).writeByte(9).writeIntLE(1).writeInt(0x01000000).writeByte(1);
        wire.writeByte(0x40 | 0x06).writeMedium(0xFFFFFF).writeMedium(1).writeByte(9).writeInt(0x01000000).writeByte(2);
        wire.writeByte(0x80 | 0x06).writeMedium(0xFFFFFF).writeInt(0x01000000).writeByte(3);
        wire.writeByte(0xC0 | 0x06).writeInt(0x01000000).writeByte(4); // a new message repeating the delta
        assertThat(decode(wire, 3)).containsExactly("9@16777216/1:01", "9@33554432/1:02", "9@50331648/1:03", "9@67108864/1:04");
    }

    @Test
    void anAbortedMessageDoesNotAdvanceItsStreamsTimestamp() {
        ByteBuf wire = Unpooled.buffer();
        wire.writeByte(0x06).writeMedium(1000).writeMedium(2).writeByte(9).writeIntLE(1).writeByte(0x17).writeByte(1);
        wire.writeByte(0x40 | 0x06).writeMedium(40).writeMedium(300).writeByte(9).writeBytes(new byte[128]); // then aborted
        ByteBuf abort = RtmpChunkEncoder.encode(ALLOC, new RtmpMessage.Abort(6), 128);
        wire.writeBytes(abort);
        abort.release();
        wire.writeByte(0x40 | 0x06).writeMedium(40).writeMedium(2).writeByte(9).writeByte(0x27).writeByte(1);
        assertThat(decode(wire, 11)).containsExactly("9@1000/1:1701", "Abort[chunkStreamId=6]", "9@1040/1:2701");
    }

    @Test
    void setChunkSizeWhileAnotherStreamHoldsAPartialMessage() {
        byte[] body = new byte[300];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 7);
        }
        ByteBuf wire = Unpooled.buffer();
        wire.writeByte(0x06).writeMedium(0).writeMedium(body.length).writeByte(9).writeIntLE(1).writeBytes(body, 0, 128);
        wire.writeBytes(control(1, Unpooled.buffer().writeInt(4096)));
        wire.writeByte(0xC0 | 0x06).writeBytes(body, 128, 172); // the rest in one chunk of the new size
        assertThat(decode(wire, 13)).containsExactly("SetChunkSize[size=4096]", "9@0/1:" + ByteBufUtil.hexDump(body));
    }

    @Test
    void oversizedMessageFailsBeforeItIsBuffered() {
        ByteBuf wire = Unpooled.buffer().writeByte(0x06).writeMedium(0).writeMedium(0xFFFFFF).writeByte(9).writeIntLE(1);
        assertThat(firstFailure(wire).reason()).isEqualTo("message of 16777215 bytes exceeds limit 1048576");
    }

    @Test
    void malformedAmfCommandFails() {
        ByteBuf body = Unpooled.buffer().writeByte(0x02).writeShort(500).writeBytes("conn".getBytes());
        ByteBuf wire = Unpooled.buffer();
        RtmpChunkWriter.write(wire, 3, RtmpMessage.COMMAND_AMF0, 0, 0, body, 128);
        assertThat(firstFailure(wire).reason()).isEqualTo("string of 500 bytes with 4 left");
    }

    @Test
    void commandWithoutNameFails() {
        ByteBuf body = Unpooled.buffer();
        Amf0Writer.write(body, 1.0, "connect");
        ByteBuf wire = Unpooled.buffer();
        RtmpChunkWriter.write(wire, 3, RtmpMessage.COMMAND_AMF0, 0, 0, body, 128);
        assertThat(firstFailure(wire).reason()).isEqualTo("command without a name");
    }

    @Test
    void tooManyChunkStreamsFails() {
        ByteBuf wire = Unpooled.buffer();
        for (int csid = 3; csid < 20; csid++) {
            wire.writeByte(csid).writeMedium(0).writeMedium(1000).writeByte(9).writeIntLE(1).writeBytes(new byte[128]);
        }
        assertThat(firstFailure(wire).reason()).isEqualTo("more than 8 chunk streams");
    }

    @Test
    void partialMessagesAreBoundedInTotal() {
        ByteBuf wire = Unpooled.buffer();
        for (int csid = 3; csid < 8; csid++) { // 5 × 900 KiB declared, first chunk only
            wire.writeByte(csid).writeMedium(0).writeMedium(900 * 1024).writeByte(9).writeIntLE(1).writeBytes(new byte[128]);
        }
        assertThat(firstFailure(wire).reason()).startsWith("partly received messages exceed");
    }

    @Test
    void shortControlMessageFails() {
        assertThat(firstFailure(control(5, Unpooled.buffer().writeShort(1))).reason()).isEqualTo("Window Acknowledgement Size of 2 bytes");
    }

    @Test
    void countsBytesForAcknowledgements() {
        ByteBuf wire = encode(session());
        int size = wire.readableBytes();
        RtmpChunkDecoder decoder = new RtmpChunkDecoder();
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        ch.writeInbound(wire);
        assertThat(decoder.bytesReceived()).isEqualTo(size);
        Object m;
        while ((m = ch.readInbound()) != null) {
            io.netty.util.ReferenceCountUtil.release(m);
        }
        ch.finish();
    }
}
