package io.openlive.server.attack;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client that writes frames bit by bit (RFC 6455 section 5.2), so the attack suite can send what a browser
 * never would: RSV bits without an extension, oversized messages in fragments, compression offers. Blocking, with socket
 * time-outs, on 127.0.0.1.
 */
public final class RawWebSocket implements AutoCloseable {
    public final Socket socket;
    public final String responseHead;
    private final DataInputStream in;
    private final OutputStream out;

    private RawWebSocket(Socket socket, String responseHead, DataInputStream in) throws IOException {
        this.socket = socket;
        this.responseHead = responseHead;
        this.in = in;
        this.out = socket.getOutputStream();
    }

    /** Upgrades {@code pathAndQuery}; {@code extensions} is sent as {@code Sec-WebSocket-Extensions} when not null. */
    public static RawWebSocket open(int port, String pathAndQuery, String extensions) throws IOException {
        return open(port, pathAndQuery, extensions, new byte[0]);
    }

    /**
     * Upgrades {@code pathAndQuery} with {@code pipelined} (client frames, see {@link #masked}) in the same write as the
     * request, before the 101 is read: RFC 6455 4.1 lets a client send frames once it has sent its handshake.
     */
    public static RawWebSocket open(int port, String pathAndQuery, String extensions, byte[] pipelined) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(10_000);
        String key = Base64.getEncoder().encodeToString(new byte[16]);
        String request = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n"
                + (extensions == null ? "" : "Sec-WebSocket-Extensions: " + extensions + "\r\n") + "\r\n";
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        first.writeBytes(request.getBytes(StandardCharsets.US_ASCII));
        first.writeBytes(pipelined);
        s.getOutputStream().write(first.toByteArray());
        DataInputStream in = new DataInputStream(s.getInputStream());
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            head.write(in.readUnsignedByte());
        }
        return new RawWebSocket(s, head.toString(StandardCharsets.US_ASCII), in);
    }

    /** One masked client frame (RFC 6455 5.2): {@code rsv} is the three RSV bits as 0..7. */
    public void frame(boolean fin, int rsv, int opcode, byte[] payload) throws IOException {
        out.write(masked(fin, rsv, opcode, payload));
        out.flush();
    }

    /** The bytes of one masked client frame (RFC 6455 5.2): {@code rsv} is the three RSV bits as 0..7. */
    public static byte[] masked(boolean fin, int rsv, int opcode, byte[] payload) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write((fin ? 0x80 : 0) | (rsv & 7) << 4 | opcode);
        if (payload.length < 126) {
            f.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            f.write(0x80 | 126);
            f.write(payload.length >> 8);
            f.write(payload.length);
        } else {
            f.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                f.write((int) ((long) payload.length >> (8 * i)));
            }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        f.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            f.write(payload[i] ^ mask[i & 3]);
        }
        return f.toByteArray();
    }

    /** Frames one after another, to send in one write. */
    public static byte[] concat(byte[]... frames) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] f : frames) {
            all.writeBytes(f);
        }
        return all.toByteArray();
    }

    public void text(String s) throws IOException {
        frame(true, 0, 1, s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads frames until the server's close frame or the end of the stream, within {@code limit}: the close code, -1 when
     * the connection ended without one, or 0 when it is still open at the limit.
     */
    public int closeCode(Duration limit) throws IOException {
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                Frame f = readFrame();
                byte[] payload = f.payload();
                if (f.opcode() == 8) {
                    return payload.length >= 2 ? (payload[0] & 0xff) << 8 | payload[1] & 0xff : 1005;
                }
            }
            return 0;
        } catch (SocketTimeoutException e) {
            return 0;
        } catch (EOFException e) {
            return -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** Text frames received until {@code quiet} passes without one (or the connection ends), at most {@code limit} in all. */
    public java.util.List<String> texts(Duration quiet, Duration limit) throws IOException {
        java.util.List<String> texts = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                socket.setSoTimeout((int) quiet.toMillis());
                texts.add(readText());
            }
        } catch (SocketTimeoutException | EOFException e) {
            // quiet, or closed
        }
        return texts;
    }

    /** The text of the next text frame (for the welcome), skipping nothing else. */
    public String readText() throws IOException {
        Frame f = readFrame();
        if (f.opcode() != 1) {
            throw new IOException("expected a text frame, got opcode " + f.opcode());
        }
        return new String(f.payload(), StandardCharsets.UTF_8);
    }

    /** One server frame as it came: its opcode and payload (servers do not mask). */
    public record Frame(int opcode, byte[] payload) {
    }

    /** The next frame of any kind, within the socket's time-out. */
    public Frame readFrame() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long len = b1 & 0x7f;
        if (len == 126) {
            len = in.readUnsignedShort();
        } else if (len == 127) {
            len = in.readLong();
        }
        return new Frame(b0 & 0x0f, in.readNBytes((int) len));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
