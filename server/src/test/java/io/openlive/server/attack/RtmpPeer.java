package io.openlive.server.attack;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.openlive.protocol.rtmp.Handshake;
import io.openlive.protocol.rtmp.RtmpChunkDecoder;
import io.openlive.protocol.rtmp.RtmpChunkEncoder;
import io.openlive.protocol.rtmp.RtmpMessage;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A blocking RTMP peer for the attack suite: raw bytes when the test is the attacker, and a well-behaved publish or play
 * (connect, createStream, publish/play; RTMP spec 7.2) when it is the user whose answer time is measured. Reads on the
 * caller's thread with a socket time-out, so every wait is bounded.
 */
final class RtmpPeer implements AutoCloseable {
    final Socket socket;
    private final EmbeddedChannel decoder = new EmbeddedChannel(new RtmpChunkDecoder());
    private final byte[] buffer = new byte[65536];
    private int chunkSize = 128;

    private RtmpPeer(Socket socket) {
        this.socket = socket;
    }

    static RtmpPeer open(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(10_000);
        return new RtmpPeer(s);
    }

    /** C0+C1, then C2 echoing S1 (RTMP spec 5.2). */
    RtmpPeer handshake() throws IOException {
        send(Handshake.clientHello(ByteBufAllocator.DEFAULT));
        byte[] s = socket.getInputStream().readNBytes(1 + 2 * Handshake.PACKET_SIZE);
        if (s.length < 1 + 2 * Handshake.PACKET_SIZE) {
            throw new IOException("server closed during the handshake");
        }
        socket.getOutputStream().write(s, 1, Handshake.PACKET_SIZE);
        return this;
    }

    void send(ByteBuf b) throws IOException {
        try {
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            socket.getOutputStream().write(bytes);
        } finally {
            b.release();
        }
    }

    void send(RtmpMessage m) throws IOException {
        send(RtmpChunkEncoder.encode(ByteBufAllocator.DEFAULT, m, chunkSize));
        if (m instanceof RtmpMessage.SetChunkSize s) {
            chunkSize = s.size();
        }
    }

    void command(int stream, String name, double txn, Map<String, Object> object, Object... args) throws IOException {
        send(new RtmpMessage.Command(stream, name, txn, object, List.of(args)));
    }

    /** The next command named {@code name}, skipping everything else. */
    RtmpMessage.Command await(String name) throws IOException {
        while (true) {
            Object m;
            while ((m = decoder.readInbound()) != null) {
                if (m instanceof RtmpMessage.Media media) {
                    media.release();
                } else if (m instanceof RtmpMessage.Command c && c.name().equals(name)) {
                    return c;
                }
            }
            int n = socket.getInputStream().read(buffer);
            if (n < 0) {
                throw new IOException("server closed the connection before " + name);
            }
            decoder.writeInbound(Unpooled.copiedBuffer(buffer, 0, n));
        }
    }

    /** connect, createStream, publish {@code key}: the onStatus code. */
    String publish(String key) throws IOException {
        command(0, "connect", 1, Map.of("app", "live", "tcUrl", "rtmp://127.0.0.1/live"));
        await("_result");
        command(0, "createStream", 2, Map.of());
        await("_result");
        command(1, "publish", 3, Map.of(), key, "live");
        return code(await("onStatus"));
    }

    /** connect, createStream, play {@code room}: the first onStatus code. */
    String play(String room) throws IOException {
        command(0, "connect", 1, Map.of("app", "live", "tcUrl", "rtmp://127.0.0.1/live"));
        await("_result");
        command(0, "createStream", 2, Map.of());
        await("_result");
        command(1, "play", 3, Map.of(), room);
        return code(await("onStatus"));
    }

    static String code(RtmpMessage.Command status) {
        Object info = status.arguments().isEmpty() ? null : status.arguments().get(0);
        return info instanceof Map<?, ?> m ? String.valueOf(m.get("code")) : "?";
    }

    /** Whether the server closes (or resets) the connection within {@code limit}; what it sends meanwhile is discarded. */
    boolean closedWithin(Duration limit) throws IOException {
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            InputStream in = socket.getInputStream();
            while (System.nanoTime() < deadline) {
                socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                if (in.read(buffer) < 0) {
                    return true;
                }
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        decoder.finishAndReleaseAll();
        socket.close();
    }
}
