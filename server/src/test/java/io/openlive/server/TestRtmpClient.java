package io.openlive.server;

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
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A blocking RTMP client for tests that need to say exactly what goes on the wire: raw bytes, odd chunk sizes, E-RTMP
 * frames, or a player that never reads. Decodes with the project's own chunk decoder in a reader thread.
 */
public final class TestRtmpClient implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final BlockingQueue<RtmpMessage> inbox = new LinkedBlockingQueue<>();
    private volatile boolean closedByServer;
    private int chunkSize = 128;
    private Thread reader;

    private TestRtmpClient(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
    }

    /** TCP connection only, nothing sent. */
    static TestRtmpClient raw(int port, int receiveBuffer) throws IOException {
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);
        }
        s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(15_000);
        return new TestRtmpClient(s);
    }

    /** Handshake done, reader thread running. */
    public static TestRtmpClient connect(int port) throws IOException {
        TestRtmpClient c = raw(port, 0);
        c.handshake();
        c.startReading();
        return c;
    }

    void handshake() throws IOException {
        ByteBuf hello = Handshake.clientHello(ByteBufAllocator.DEFAULT);
        sendRaw(hello);
        byte[] s0s1s2 = socket.getInputStream().readNBytes(1 + 2 * Handshake.PACKET_SIZE);
        if (s0s1s2.length < 1 + 2 * Handshake.PACKET_SIZE) {
            throw new IOException("server closed during handshake");
        }
        out.write(s0s1s2, 1, Handshake.PACKET_SIZE); // C2 echoes S1
        out.flush();
    }

    void startReading() {
        reader = Thread.ofVirtual().start(() -> {
            EmbeddedChannel decoder = new EmbeddedChannel(new RtmpChunkDecoder());
            byte[] buf = new byte[65536];
            try (InputStream in = socket.getInputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    decoder.writeInbound(Unpooled.copiedBuffer(buf, 0, n));
                    Object m;
                    while ((m = decoder.readInbound()) != null) {
                        if (m instanceof RtmpMessage.Media media) {
                            ByteBuf copy = Unpooled.copiedBuffer(media.payload());
                            media.release();
                            m = media.type() == 8 ? new RtmpMessage.AudioData(media.timestamp(), media.streamId(), copy)
                                    : new RtmpMessage.VideoData(media.timestamp(), media.streamId(), copy);
                        }
                        inbox.add((RtmpMessage) m);
                    }
                }
            } catch (IOException e) {
                // closed
            } finally {
                closedByServer = true;
                decoder.finishAndReleaseAll();
            }
        });
    }

    void send(RtmpMessage m) throws IOException {
        ByteBuf b = RtmpChunkEncoder.encode(ByteBufAllocator.DEFAULT, m, chunkSize);
        sendRaw(b);
        if (m instanceof RtmpMessage.SetChunkSize s) {
            chunkSize = s.size();
        }
    }

    void sendRaw(ByteBuf b) throws IOException {
        try {
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            out.write(bytes);
            out.flush();
        } finally {
            b.release();
        }
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    RtmpMessage.Command command(String name, double txn, Map<String, Object> object, Object... args) throws IOException {
        RtmpMessage.Command c = new RtmpMessage.Command(0, name, txn, object, List.of(args));
        send(c);
        return c;
    }

    /** connect to app "live" and wait for its _result. */
    void connectApp() throws Exception {
        command("connect", 1, Map.of("app", "live", "tcUrl", "rtmp://127.0.0.1/live"));
        awaitCommand("_result", Duration.ofSeconds(5));
    }

    /** connect, createStream, publish with {@code key}; returns the onStatus code. */
    public String publish(String key) throws Exception {
        connectApp();
        command("createStream", 2, Map.of());
        awaitCommand("_result", Duration.ofSeconds(5));
        send(new RtmpMessage.Command(1, "publish", 3, Map.of(), List.of(key, "live")));
        return statusCode(awaitCommand("onStatus", Duration.ofSeconds(5)));
    }

    /** connect, createStream, play {@code room}; returns the first onStatus code. */
    String play(String room) throws Exception {
        connectApp();
        command("createStream", 2, Map.of());
        awaitCommand("_result", Duration.ofSeconds(5));
        send(new RtmpMessage.Command(1, "play", 3, Map.of(), List.of(room)));
        return statusCode(awaitCommand("onStatus", Duration.ofSeconds(10)));
    }

    static String statusCode(RtmpMessage.Command status) {
        Object info = status.arguments().isEmpty() ? null : status.arguments().get(0);
        return info instanceof Map<?, ?> m ? String.valueOf(m.get("code")) : "?";
    }

    RtmpMessage.Command awaitCommand(String name, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            RtmpMessage m = inbox.poll(50, TimeUnit.MILLISECONDS);
            if (m instanceof RtmpMessage.Command c && c.name().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no " + name + " within " + limit + (closedByServer ? " (server closed the connection)" : ""));
    }

    /** Every message received up to and including the first audio or video message. */
    List<RtmpMessage> untilMedia(Duration limit) throws InterruptedException {
        List<RtmpMessage> out = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            RtmpMessage m = inbox.poll(50, TimeUnit.MILLISECONDS);
            if (m != null) {
                out.add(m);
                if (m instanceof RtmpMessage.Media) {
                    return out;
                }
            }
        }
        throw new AssertionError("no media within " + limit + "; received " + out);
    }

    /** The first received message of {@code type}, others received meanwhile skipped; null if none within the limit. */
    <T extends RtmpMessage> T awaitMessage(Class<T> type, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            RtmpMessage m = inbox.poll(50, TimeUnit.MILLISECONDS);
            if (type.isInstance(m)) {
                return type.cast(m);
            }
        }
        return null;
    }

    RtmpMessage.Media awaitMedia(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            RtmpMessage m = inbox.poll(50, TimeUnit.MILLISECONDS);
            if (m instanceof RtmpMessage.Media media) {
                return media;
            }
        }
        throw new AssertionError("no media within " + limit);
    }

    /** True once the server has closed the connection, checked by reading (for clients without a reader thread). */
    boolean closedWithin(Duration limit) throws InterruptedException {
        if (reader != null) {
            long deadline = System.nanoTime() + limit.toNanos();
            while (!closedByServer && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            return closedByServer;
        }
        try {
            socket.setSoTimeout((int) limit.toMillis());
            InputStream in = socket.getInputStream();
            byte[] sink = new byte[65536];
            while (in.read(sink) >= 0) {
                // discard until end of stream
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
