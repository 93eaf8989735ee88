package io.openlive.server.attack;

import io.openlive.engine.platform.Principal;
import io.openlive.engine.platform.Role;
import io.openlive.engine.room.Room;
import io.openlive.server.Eventually;
import io.openlive.server.Ffmpeg;
import io.openlive.server.ServerFixture;
import io.openlive.server.http.HttpLimits;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Finding: no HTTP idle time-out: 500 connections sending partial headers stayed open. Now a connection must finish its
 * request head within the head deadline and a keep-alive connection closes when idle, on the platform listener and the
 * component listener; an HTTP-FLV play and a pinging {@code /rt} connection outlive both deadlines.
 */
class HttpDeadlineTest {
    static final Principal ADMIN = new Principal("test", Role.ADMIN, null);
    static final HttpLimits SHORT = new HttpLimits(Duration.ofSeconds(2), Duration.ofSeconds(3), 1000, 20);

    @Test
    void partialHeadsAndIdleKeepAlivesAreClosed() throws Exception {
        try (ServerFixture node = ServerFixture.start(c -> c.withHttpLimits(SHORT))) {
            List<Socket> sockets = new ArrayList<>();
            try {
                // an upgrade the route refuses (no room) leaves a plain keep-alive connection, idle like any other
                Socket refusedUpgrade = new Socket("127.0.0.1", node.server.httpPort());
                refusedUpgrade.getOutputStream().write(("GET /rt HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                sockets.add(refusedUpgrade);
                for (int i = 0; i < 500; i++) {
                    int port = i % 10 == 0 ? node.server.componentPort() : node.server.httpPort();
                    Socket s = new Socket("127.0.0.1", port);
                    s.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
                    sockets.add(s);
                }
                Socket idle = keptAlive(node.server.httpPort());
                sockets.add(idle);
                long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                int closed = 0;
                for (Socket s : sockets) {
                    if (closedBy(s, deadline)) {
                        closed++;
                    }
                }
                assertThat(closed).as("connections closed of %d", sockets.size()).isEqualTo(sockets.size());
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
            }
        }
    }

    @Test
    void playsAndPingingViewersOutliveTheDeadlines() throws Exception {
        try (ServerFixture node = ServerFixture.start(c -> c.withHttpLimits(SHORT))) {
            var app = node.server.platform().apps().create(ADMIN, "Shop", "direct", List.of(), false);
            String rtRoom = node.server.platform().rooms().create(ADMIN, "Room", null, List.of(app.app().id())).id();
            Room live = node.newRoom("live");
            Process publisher = Ffmpeg.publish(node.publishUrl(live), 30);
            AtomicLong flvBytes = new AtomicLong();
            AtomicBoolean flvEnded = new AtomicBoolean();
            try (Socket flv = new Socket("127.0.0.1", node.server.httpPort());
                 RawWebSocket rt = Viewers.join(node.server.httpPort(), rtRoom, app.app().id(), null)) {
                Eventually.await("the room is live", Duration.ofSeconds(15), () -> node.server.hub().stream(live.id())
                        .map(st -> st.isLive() && st.stats().framesIn.sum() > 30).orElse(false));
                flv.getOutputStream().write(("GET /live/" + live.id() + ".flv HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                Thread reader = Thread.ofVirtual().start(() -> {
                    byte[] buf = new byte[65536];
                    try (InputStream in = flv.getInputStream()) {
                        int n;
                        while ((n = in.read(buf)) > 0) {
                            flvBytes.addAndGet(n);
                        }
                    } catch (IOException e) {
                        // closed below
                    }
                    flvEnded.set(true);
                });
                // an idle keep-alive beside them: once the door has closed it, both deadlines have passed for all three
                Socket idle = keptAlive(node.server.httpPort());
                long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                for (int i = 0; i < 3; i++) { // pings spaced under the idle time-out, as a client would
                    rt.text("{\"op\":\"ping\"}");
                    assertThat(rt.texts(Duration.ofMillis(1500), Duration.ofSeconds(2))).anyMatch(t -> t.contains("pong"));
                }
                assertThat(closedBy(idle, deadline)).as("idle keep-alive closed").isTrue();
                long before = flvBytes.get();
                Eventually.await("HTTP-FLV still flowing", Duration.ofSeconds(10), () -> flvBytes.get() > before + 10_000);
                assertThat(flvEnded).as("HTTP-FLV play cut").isFalse();
                rt.text("{\"op\":\"ping\"}");
                assertThat(rt.texts(Duration.ofMillis(1500), Duration.ofSeconds(3))).anyMatch(t -> t.contains("pong"));
                flv.close();
                reader.join(5000);
            } finally {
                Ffmpeg.stop(publisher);
            }
        }
    }

    /** A connection that made one complete request, read the answer and stays open (HTTP/1.1 keep-alive). */
    static Socket keptAlive(int port) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        s.setSoTimeout(5000);
        StringBuilder got = new StringBuilder();
        InputStream in = s.getInputStream();
        while (!got.toString().endsWith("\"ok\"}")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before the answer: " + got);
            }
            got.append((char) b);
        }
        return s;
    }

    /** Whether the server closes {@code s} (end of stream or reset) before {@code deadlineNanos}. */
    static boolean closedBy(Socket s, long deadlineNanos) throws IOException {
        long left = Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000);
        s.setSoTimeout((int) left);
        try {
            InputStream in = s.getInputStream();
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset
        }
    }
}
