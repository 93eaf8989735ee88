package io.openlive.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.openlive.engine.room.Room;
import io.openlive.protocol.rtmp.RtmpChunkWriter;
import io.openlive.protocol.rtmp.RtmpMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A publisher that speaks objectEncoding 3, as Flash did: connect, createStream and publish as type-17 commands and
 * onMetaData as a type-15 data message, each carrying AMF 3 values after the avmplus-object-marker (0x11). It goes live,
 * viewers get its metadata (without its ByteArray member, which AMF0 players cannot read), and AMF 3 that breaks the rules closes only its own
 * connection, with the reason logged and no stack trace. The bytes are built by hand from the AMF 0 and AMF 3 specs.
 */
class Amf3PublishTest {
    private static ServerFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = ServerFixture.start();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    /** AMF0 string (0x02, u16 length, UTF-8). */
    private static void amf0String(ByteBuf b, String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        b.writeByte(0x02).writeShort(utf8.length).writeBytes(utf8);
    }

    /** An AMF 3 UTF-8-vr literal shorter than 64 bytes: one U29 byte of length &lt;&lt; 1 | 1. */
    private static void amf3Name(ByteBuf b, String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        b.writeByte(utf8.length << 1 | 1).writeBytes(utf8);
    }

    /** 0x11 then an AMF 3 string value. */
    private static void avmPlusString(ByteBuf b, String s) {
        b.writeByte(0x11).writeByte(0x06);
        amf3Name(b, s);
    }

    private static void sendAmf3(TestRtmpClient client, int type, int streamId, ByteBuf body) throws Exception {
        ByteBuf wire = Unpooled.buffer();
        RtmpChunkWriter.write(wire, streamId == 0 ? 3 : 4, type, streamId, 0, body, 128);
        client.sendRaw(wire);
    }

    /** connect (app "live", objectEncoding 3), createStream and publish, all type 17 with their arguments in AMF 3. */
    private static String publishAmf3(TestRtmpClient client, String key) throws Exception {
        ByteBuf connect = Unpooled.buffer().writeByte(0); // 7.1.1: format selector
        amf0String(connect, "connect");
        connect.writeByte(0x00).writeDouble(1);
        connect.writeByte(0x11).writeByte(0x0A).writeByte(0x0B); // AMF 3 anonymous dynamic object
        amf3Name(connect, "");
        amf3Name(connect, "app");
        connect.writeByte(0x06);
        amf3Name(connect, "live");
        amf3Name(connect, "tcUrl");
        connect.writeByte(0x06);
        amf3Name(connect, "rtmp://127.0.0.1/live");
        amf3Name(connect, "objectEncoding");
        connect.writeByte(0x04).writeByte(0x03);
        amf3Name(connect, "");
        sendAmf3(client, RtmpMessage.COMMAND_AMF3, 0, connect);
        client.awaitCommand("_result", Duration.ofSeconds(5));

        ByteBuf createStream = Unpooled.buffer().writeByte(0);
        amf0String(createStream, "createStream");
        createStream.writeByte(0x00).writeDouble(2).writeByte(0x11).writeByte(0x01); // AMF 3 null command object
        sendAmf3(client, RtmpMessage.COMMAND_AMF3, 0, createStream);
        client.awaitCommand("_result", Duration.ofSeconds(5));

        ByteBuf publish = Unpooled.buffer().writeByte(0);
        amf0String(publish, "publish");
        publish.writeByte(0x00).writeDouble(3).writeByte(0x05);
        avmPlusString(publish, key);
        avmPlusString(publish, "live");
        sendAmf3(client, RtmpMessage.COMMAND_AMF3, 1, publish);
        return TestRtmpClient.statusCode(client.awaitCommand("onStatus", Duration.ofSeconds(5)));
    }

    @Test
    void anAmf3PublisherGoesLiveAndItsMetadataReachesViewers() throws Exception {
        Room room = fixture.newRoom("amf3");
        try (LogCapture log = new LogCapture(Class.forName("io.openlive.server.rtmp.RtmpConnection"));
             TestRtmpClient publisher = TestRtmpClient.connect(fixture.server.rtmpPort())) {
            assertThat(publishAmf3(publisher, room.streamKey())).isEqualTo("NetStream.Publish.Start");

            ByteBuf metadata = Unpooled.buffer().writeByte(0);
            amf0String(metadata, "@setDataFrame");
            amf0String(metadata, "onMetaData");
            metadata.writeByte(0x11).writeByte(0x0A).writeByte(0x0B); // {width: 160, thumbnail: ByteArray 01 02 03}
            amf3Name(metadata, "");
            amf3Name(metadata, "width");
            metadata.writeByte(0x04).writeByte(0x81).writeByte(0x20); // U29 of two bytes: 160
            amf3Name(metadata, "thumbnail");
            metadata.writeByte(0x0C).writeByte(3 << 1 | 1).writeBytes(new byte[]{1, 2, 3});
            amf3Name(metadata, "");
            sendAmf3(publisher, RtmpMessage.DATA_AMF3, 1, metadata);
            publisher.send(new RtmpMessage.VideoData(0, 1, Unpooled.wrappedBuffer(new byte[]{0x17, 0, 0, 0, 0, 1, 0x64})));
            publisher.send(new RtmpMessage.VideoData(0, 1, Unpooled.wrappedBuffer(new byte[]{0x17, 1, 0, 0, 0, 0x65})));

            try (FlvClient viewer = new FlvClient(fixture.httpFlvUrl(room))) {
                Eventually.await("the key frame for a viewer", Duration.ofSeconds(10),
                        () -> viewer.tags.stream().anyMatch(t -> t.type() == 9 && t.secondByte() == 1));
                byte[] script = viewer.tags.stream().filter(t -> t.type() == 18
                                && new String(t.body(), StandardCharsets.ISO_8859_1).contains("onMetaData"))
                        .findFirst().orElseThrow(() -> new AssertionError("no onMetaData tag")).body();
                String hex = ByteBufUtil.hexDump(script);
                assertThat(hex).as("width as an AMF0 number 160").contains(ByteBufUtil.hexDump("width".getBytes()) + "004064000000000000");
                assertThat(hex).as("no avmplus marker for players' AMF0 readers: the ByteArray member is left out")
                        .doesNotContain(ByteBufUtil.hexDump("thumbnail".getBytes())).doesNotContain("110c07010203");
            }
            assertThat(publisher.closedWithin(Duration.ZERO)).as("the publisher stays connected").isFalse();
            assertThat(log.lines()).noneMatch(l -> l.contains("internal error"));
        }
    }

    @Test
    void anAmf3ValueThatContainsItselfClosesOnlyItsConnection() throws Exception {
        try (LogCapture log = new LogCapture(Class.forName("io.openlive.server.rtmp.RtmpConnection"));
             TestRtmpClient client = TestRtmpClient.connect(fixture.server.rtmpPort())) {
            ByteBuf connect = Unpooled.buffer().writeByte(0);
            amf0String(connect, "connect");
            connect.writeByte(0x00).writeDouble(1);
            connect.writeBytes(new byte[]{0x11, 0x09, 0x03, 0x01, 0x09, 0x00}); // an AMF 3 array whose only element is itself
            sendAmf3(client, RtmpMessage.COMMAND_AMF3, 0, connect);
            assertThat(client.closedWithin(Duration.ofSeconds(5))).as("server closed the connection").isTrue();
            Eventually.await("the reason in the log", Duration.ofSeconds(5),
                    () -> log.lines().stream().anyMatch(l -> l.contains("closed: object reference 0 is a cycle")));
            assertThat(log.anyThrowable()).as("no stack trace for bad input").isFalse();
        }
    }
}
