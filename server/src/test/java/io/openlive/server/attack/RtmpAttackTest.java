package io.openlive.server.attack;

import io.netty.buffer.Unpooled;
import io.openlive.engine.room.Room;
import io.openlive.protocol.rtmp.RtmpMessage;
import io.openlive.server.ServerFixture;
import io.openlive.server.rtmp.RtmpLimits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Findings: before {@code connect} the RTMP port accepted an 8 MiB chunk size and partial 8 MiB messages, one byte every
 * 20 s kept a connection alive, and there was no limit per address (520 such connections: 6.5 GB). Now a connection
 * that has not published or played reads 64 KiB messages at most, must publish or play within 10 s, and one address
 * holds at most 256 such connections (the node's setting, {@code serve --rtmp-pending-per-address}; 0 lifts it); a
 * publisher gets the full limits.
 */
class RtmpAttackTest {
    static ServerFixture node;

    @BeforeAll
    static void start() throws Exception {
        node = ServerFixture.start();
    }

    @AfterAll
    static void stop() throws Exception {
        node.close();
    }

    /** A type-0 chunk header (RTMP spec 5.3.1) on chunk stream 3 declaring a command message of {@code length} bytes. */
    private static byte[] header(int length) {
        return new byte[]{0x03, 0, 0, 0, (byte) (length >> 16), (byte) (length >> 8), (byte) length, 20, 0, 0, 0, 0};
    }

    @Test
    void largeMessagesBeforePublishingCloseTheConnection() throws Exception {
        try (RtmpPeer p = RtmpPeer.open(node.server.rtmpPort()).handshake()) {
            p.send(new RtmpMessage.SetChunkSize(8 << 20));
            p.socket.getOutputStream().write(header(1 << 20));
            p.socket.getOutputStream().write(new byte[32 * 1024]);
            assertThat(p.closedWithin(Duration.ofSeconds(3))).as("closed for a 1 MiB message before connect").isTrue();
        }
    }

    @Test
    void aTrickleDoesNotKeepAPendingConnectionAlive() throws Exception {
        try (RtmpPeer p = RtmpPeer.open(node.server.rtmpPort()).handshake()) {
            p.socket.getOutputStream().write(header(4096));
            boolean closed = false;
            for (int i = 0; i < 8 && !closed; i++) { // one byte every 2 s for up to 16 s: the idle timer never fires
                try {
                    p.socket.getOutputStream().write(0);
                } catch (IOException e) {
                    closed = true;
                    break;
                }
                closed = p.closedWithin(Duration.ofSeconds(2));
            }
            assertThat(closed).as("closed by the admission deadline").isTrue();
        }
    }

    @Test
    void oneAddressHoldsABoundedNumberOfPendingConnections() throws Exception {
        List<RtmpPeer> held = new ArrayList<>();
        try {
            for (int i = 0; i < 256; i++) {
                held.add(RtmpPeer.open(node.server.rtmpPort()));
            }
            try (RtmpPeer extra = RtmpPeer.open(node.server.rtmpPort())) {
                assertThat(extra.closedWithin(Duration.ofSeconds(3))).as("the 257th pending connection is refused").isTrue();
            }
            assertThat(held.get(0).closedWithin(Duration.ofMillis(200))).as("the earlier ones stay").isFalse();
        } finally {
            for (RtmpPeer p : held) {
                p.close();
            }
        }
        // once they are gone, the address may connect again (the count is settled as connections close)
        boolean admitted = false;
        for (int attempt = 0; attempt < 50 && !admitted; attempt++) {
            try (RtmpPeer again = RtmpPeer.open(node.server.rtmpPort())) {
                admitted = !again.closedWithin(Duration.ofMillis(100));
            }
        }
        assertThat(admitted).isTrue();
    }

    /** The cap is the node's setting: a small one refuses connection N+1 from an address, while the first N stay. */
    @Test
    void theCapIsConfigurable() throws Exception {
        int cap = 4;
        try (ServerFixture small = ServerFixture.start(c -> c.withRtmpLimits(RtmpLimits.defaults().withMaxPendingPerAddress(cap)))) {
            int port = small.server.rtmpPort();
            List<RtmpPeer> held = new ArrayList<>();
            try {
                for (int i = 0; i < cap; i++) {
                    held.add(RtmpPeer.open(port).handshake()); // answered, so counted at the door before the next connects
                }
                try (RtmpPeer extra = RtmpPeer.open(port)) {
                    assertThat(extra.closedWithin(Duration.ofSeconds(3))).as("pending connection %d is refused", cap + 1).isTrue();
                }
                for (RtmpPeer p : held) {
                    assertThat(p.closedWithin(Duration.ofMillis(50))).as("the first %d stay", cap).isFalse();
                }
            } finally {
                for (RtmpPeer p : held) {
                    p.close();
                }
            }
        }
    }

    /** 0 lifts the cap (the bench scripts' setting): more pending connections than the default cap from one address all stay. */
    @Test
    void zeroMeansNoCap() throws Exception {
        int many = RtmpLimits.DEFAULT_MAX_PENDING_PER_ADDRESS + 44;
        try (ServerFixture open = ServerFixture.start(c -> c.withRtmpLimits(RtmpLimits.defaults().withMaxPendingPerAddress(0)))) {
            int port = open.server.rtmpPort();
            List<RtmpPeer> held = new ArrayList<>();
            try {
                for (int i = 0; i < many; i++) {
                    held.add(RtmpPeer.open(port).handshake()); // a refused connection is closed before it is answered
                }
                try (RtmpPeer extra = RtmpPeer.open(port)) {
                    assertThat(extra.closedWithin(Duration.ofSeconds(1))).as("pending connection %d is kept", many + 1).isFalse();
                }
                assertThat(held.get(0).closedWithin(Duration.ofMillis(50))).as("the earlier ones stay").isFalse();
            } finally {
                for (RtmpPeer p : held) {
                    p.close();
                }
            }
        }
    }

    @Test
    void aPublisherGetsTheFullLimits() throws Exception {
        Room room = node.newRoom("big frames");
        try (RtmpPeer p = RtmpPeer.open(node.server.rtmpPort()).handshake()) {
            p.send(new RtmpMessage.SetChunkSize(1 << 20));
            assertThat(p.publish(room.streamKey())).isEqualTo("NetStream.Publish.Start");
            byte[] keyFrame = new byte[600 * 1024];
            keyFrame[0] = 0x17; // AVC key frame, NALU (FLV spec E.4.3.1)
            keyFrame[1] = 1;
            p.send(new RtmpMessage.VideoData(0, 1, Unpooled.wrappedBuffer(keyFrame)));
            assertThat(p.closedWithin(Duration.ofSeconds(11))).as("a publisher outlives the admission deadline and sends 600 KiB frames").isFalse();
        }
    }
}
