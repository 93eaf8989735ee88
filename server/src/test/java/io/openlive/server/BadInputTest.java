package io.openlive.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.openlive.engine.room.Room;
import io.openlive.engine.stream.LiveStream;
import io.openlive.engine.stream.StreamConfig;
import io.openlive.kernel.amf0.Amf0Writer;
import io.openlive.protocol.rtmp.Handshake;
import io.openlive.protocol.rtmp.RtmpChunkWriter;
import io.openlive.protocol.rtmp.RtmpMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile and broken peers on the RTMP port: each loses only its own connection, with one log line naming the reason and
 * no stack trace, while a viewer of a live room keeps receiving and memory stays bounded.
 */
class BadInputTest {
    private static ServerFixture fixture;
    private static Room room;
    private static TestRtmpClient publisher;
    private static Thread feeding;
    private static volatile boolean feed = true;

    @BeforeAll
    static void start() throws Exception {
        fixture = ServerFixture.start(StreamConfig.defaults().withSlowReaderTimeout(Duration.ofSeconds(2)).withRing(512, 2 << 20));
        room = fixture.newRoom("under attack");
        publisher = TestRtmpClient.connect(fixture.server.rtmpPort());
        assertThat(publisher.publish(room.streamKey())).isEqualTo("NetStream.Publish.Start");
        publisher.send(new RtmpMessage.SetChunkSize(60_000));
        feeding = Thread.ofVirtual().start(BadInputTest::feedSyntheticStream);
    }

    /** About 8 Mb/s of synthetic H.264-shaped frames, a key frame every 30: enough to fill a stuck viewer fast. */
    private static void feedSyntheticStream() {
        int ts = 0;
        try {
            publisher.send(new RtmpMessage.VideoData(0, 1, Unpooled.wrappedBuffer(new byte[]{0x17, 0, 0, 0, 0, 1, 0x64, 0, 0x1F})));
            for (int i = 0; feed && i < 20_000; i++) {
                byte[] frame = new byte[i % 30 == 0 ? 60_000 : 30_000];
                frame[0] = (byte) (i % 30 == 0 ? 0x17 : 0x27);
                frame[1] = 1;
                publisher.send(new RtmpMessage.VideoData(ts, 1, Unpooled.wrappedBuffer(frame)));
                ts += 33;
                Thread.sleep(33);
            }
        } catch (Exception e) {
            // the test is over
        }
    }

    @AfterAll
    static void stop() throws Exception {
        feed = false;
        feeding.join(5000);
        publisher.close();
        fixture.close();
    }

    /** A healthy viewer is still served: it gets a key frame within a few seconds. */
    private static void assertOthersStillServed() throws Exception {
        try (FlvClient viewer = new FlvClient(fixture.httpFlvUrl(room))) {
            Eventually.await("a key frame for a healthy viewer", Duration.ofSeconds(5),
                    () -> viewer.tags.stream().anyMatch(t -> t.type() == 9 && t.firstByte() == 0x17 && t.secondByte() == 1));
        }
    }

    private static void assertClosedWithLogLine(TestRtmpClient client, LogCapture log, String reason) throws Exception {
        assertThat(client.closedWithin(Duration.ofSeconds(5))).as("server closed the connection").isTrue();
        Eventually.await("log line '" + reason + "'", Duration.ofSeconds(5),
                () -> log.lines().stream().anyMatch(l -> l.contains("closed: " + reason)));
        assertThat(log.anyThrowable()).as("no stack trace for bad input").isFalse();
        assertOthersStillServed();
    }

    @Test
    void randomBytesCloseTheConnection() throws Exception {
        try (LogCapture log = new LogCapture(Class.forName("io.openlive.server.rtmp.RtmpConnection"));
             TestRtmpClient client = TestRtmpClient.raw(fixture.server.rtmpPort(), 0)) {
            byte[] junk = new byte[5000];
            new Random(3).nextBytes(junk);
            junk[0] = 0x47;
            client.sendRaw(junk);
            assertClosedWithLogLine(client, log, "handshake version 71");
        }
    }

    @Test
    void randomBytesAfterTheHandshakeCloseTheConnection() throws Exception {
        try (LogCapture log = new LogCapture(Class.forName("io.openlive.server.rtmp.RtmpConnection"));
             TestRtmpClient client = TestRtmpClient.raw(fixture.server.rtmpPort(), 0)) {
            client.handshake();
            Random random = new Random(11);
            for (int i = 0; i < 50 && !client.closedWithin(Duration.ofMillis(1)); i++) {
                byte[] junk = new byte[2000];
                random.nextBytes(junk);
                try {
                    client.sendRaw(junk);
                } catch (java.io.IOException closed) {
                    break;
                }
            }
            assertThat(client.closedWithin(Duration.ofSeconds(5))).isTrue();
            assertThat(log.anyThrowable()).isFalse();
            assertOthersStillServed();
        }
    }

    @Test
    void aClientLeavingMidHandshakeHarmsNoOne() throws Exception {
        // that the server closes such a connection by itself is HandshakeIdleTest's (it waits out the idle timeout)
        try (TestRtmpClient client = TestRtmpClient.raw(fixture.server.rtmpPort(), 0)) {
            client.sendRaw(new byte[]{3, 0, 0, 0, 0, 0, 0});
        }
        assertOthersStillServed();
    }

    private static TestRtmpClient connected() throws Exception {
        TestRtmpClient client = TestRtmpClient.connect(fixture.server.rtmpPort());
        client.connectApp();
        return client;
    }

    private static ByteBuf control(int type, ByteBuf body) {
        ByteBuf wire = Unpooled.buffer();
        RtmpChunkWriter.write(wire, 2, type, 0, 0, body, 128);
        body.release();
        return wire;
    }

    @Test
    void chunkSizeZero() throws Exception {
        try (LogCapture log = new LogCapture(Class.forName("io.openlive.server.rtmp.RtmpConnection"));
             TestRtmpClient client = connected()) {
            client.sendRaw(control(1, Unpooled.buffer().writeInt(0)));
            assertClosedWithLogLine(client, log, "chunk size 0");
        }
    }

    @Test
    void chunkSizeTwoToTheThirtyOne() throws Exception {
        try (LogCapture log = new LogCapture(Class.forName("io.openlive.server.rtmp.RtmpConnection"));
             TestRtmpClient client = connected()) {
            client.sendRaw(control(1, Unpooled.buffer().writeInt(0x80000000)));
            assertClosedWithLogLine(client, log, "chunk size 2147483648");
        }
    }

    @Test
    void unknownChunkStreamId() throws Exception {
        try (LogCapture log = new LogCapture(Class.forName("io.openlive.server.rtmp.RtmpConnection"));
             TestRtmpClient client = connected()) {
            client.sendRaw(Unpooled.buffer().writeByte(0x80 | 42).writeMedium(10).writeByte(0x17));
            assertClosedWithLogLine(client, log, "chunk stream 42 starts with a type-2 header");
        }
    }

    @Test
    void malformedAmf() throws Exception {
        try (LogCapture log = new LogCapture(Class.forName("io.openlive.server.rtmp.RtmpConnection"));
             TestRtmpClient client = TestRtmpClient.connect(fixture.server.rtmpPort())) {
            ByteBuf body = Unpooled.buffer();
            Amf0Writer.write(body, "connect", 1.0);
            body.writeByte(0x03).writeShort(3).writeBytes("app".getBytes()).writeByte(0x02).writeShort(9999);
            ByteBuf wire = Unpooled.buffer();
            RtmpChunkWriter.write(wire, 3, RtmpMessage.COMMAND_AMF0, 0, 0, body, 128);
            body.release();
            client.sendRaw(wire);
            assertClosedWithLogLine(client, log, "string of 9999 bytes");
        }
    }

    @Test
    void messageLargerThanAnySaneLimit() throws Exception {
        try (LogCapture log = new LogCapture(Class.forName("io.openlive.server.rtmp.RtmpConnection"));
             TestRtmpClient client = connected()) {
            client.sendRaw(Unpooled.buffer().writeByte(0x06).writeMedium(0).writeMedium(0xFFFFFF).writeByte(9).writeIntLE(1));
            assertClosedWithLogLine(client, log, "message of 16777215 bytes exceeds limit");
        }
    }

    @Test
    void commandsBeforeConnectAndUnknownApplications() throws Exception {
        try (LogCapture log = new LogCapture(Class.forName("io.openlive.server.rtmp.RtmpConnection"));
             TestRtmpClient early = TestRtmpClient.connect(fixture.server.rtmpPort())) {
            early.send(new RtmpMessage.Command(1, "publish", 3, Map.of(), List.of(room.streamKey())));
            assertClosedWithLogLine(early, log, "publish before connect");
        }
        try (LogCapture log = new LogCapture(Class.forName("io.openlive.server.rtmp.RtmpConnection"));
             TestRtmpClient other = TestRtmpClient.connect(fixture.server.rtmpPort())) {
            other.command("connect", 1, Map.of("app", "admin"));
            assertThat(other.awaitCommand("_error", Duration.ofSeconds(5))).isNotNull();
            assertClosedWithLogLine(other, log, "connect to unknown application 'admin'");
        }
    }

    @Test
    void playerThatNeverReadsIsDisconnectedAndMemoryStaysBounded() throws Exception {
        LiveStream stream = fixture.server.hub().stream(room.id()).orElseThrow();
        long slowBefore = fixture.server.hub().totals().slowViewersDisconnected.sum();
        try (TestRtmpClient neverReads = TestRtmpClient.raw(fixture.server.rtmpPort(), 4096)) {
            neverReads.handshake();
            // connect, createStream and play without ever reading a byte back
            neverReads.command("connect", 1, Map.of("app", "live"));
            neverReads.command("createStream", 2, Map.of());
            neverReads.send(new RtmpMessage.Command(1, "play", 3, Map.of(), List.of(room.id())));
            Eventually.await("the stuck player to be disconnected", Duration.ofSeconds(40),
                    () -> fixture.server.hub().totals().slowViewersDisconnected.sum() > slowBefore);
            // the capacity of the ring's real buffers, every encoding counted: the 2 MiB budget, plus the encodings viewers
            // may have made of the newest (at most 60 kB) frame before the next one trims the ring
            assertThat(stream.measuredBytes()).isLessThanOrEqualTo((2L << 20) + 4 * 64 * 1024);
            assertThat(stream.bufferedFrames()).isLessThanOrEqualTo(512);
        }
        assertOthersStillServed();
    }
}
