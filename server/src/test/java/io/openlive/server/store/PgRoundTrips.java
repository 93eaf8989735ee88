package io.openlive.server.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay between the JDBC driver and PostgreSQL (127.0.0.1:5432) that counts the driver's round trips: every
 * message after which the driver waits for the server's ReadyForQuery, that is a Sync ({@code S}, which ends each
 * extended-protocol exchange) or a simple Query ({@code Q}). It reads the frontend protocol (PostgreSQL's "Message
 * Flow" and "Message Formats" chapters): one untyped startup message, then messages of a type byte and a length. Connect
 * with {@code sslmode=disable&gssEncMode=disable}, so that the first message is the startup message.
 */
final class PgRoundTrips implements AutoCloseable {
    private final ServerSocket server;
    private final AtomicLong roundTrips = new AtomicLong();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    PgRoundTrips() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("pg-relay-accept").start(this::accept);
    }

    /** A JDBC URL through this relay, for the given query parameters (without ssl settings). */
    String url(String parameters) {
        return "jdbc:postgresql://127.0.0.1:" + server.getLocalPort() + "/test?" + parameters + "&sslmode=disable&gssEncMode=disable";
    }

    long roundTrips() {
        return roundTrips.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket pg = new Socket("127.0.0.1", 5432);
                client.setTcpNoDelay(true);
                pg.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(pg);
                Thread.ofPlatform().daemon().start(() -> pipe(client, pg, true));
                Thread.ofPlatform().daemon().start(() -> pipe(pg, client, false));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pipe(Socket from, Socket to, boolean frontend) {
        Frontend parser = new Frontend();
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buf)) > 0; ) {
                if (frontend) {
                    parser.feed(buf, n);
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException ignored) {
            // either side closed
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /** Splits the frontend byte stream into messages. */
    private final class Frontend {
        private boolean started;
        private final byte[] header = new byte[5];
        private int headerLength;
        private long skip;

        void feed(byte[] buf, int n) {
            int i = 0;
            while (i < n) {
                if (skip > 0) {
                    int k = (int) Math.min(skip, n - i);
                    skip -= k;
                    i += k;
                    continue;
                }
                int want = started ? 5 : 4; // a typed message's type and length; the startup message's length
                header[headerLength++] = buf[i++];
                if (headerLength < want) {
                    continue;
                }
                headerLength = 0;
                if (!started) {
                    started = true;
                    skip = length(0) - 4;
                } else {
                    char type = (char) header[0];
                    if (type == 'S' || type == 'Q') {
                        roundTrips.incrementAndGet();
                    }
                    skip = length(1) - 4;
                }
            }
        }

        private long length(int at) {
            return ((header[at] & 0xffL) << 24) | ((header[at + 1] & 0xffL) << 16) | ((header[at + 2] & 0xffL) << 8) | (header[at + 3] & 0xffL);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
