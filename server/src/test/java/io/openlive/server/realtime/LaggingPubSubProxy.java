package io.openlive.server.realtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP hop in front of a real Redis that holds back what Redis sends on subscriber connections (any connection that
 * has sent SUBSCRIBE) by a fixed delay, in order; command connections pass untouched. This is a node whose pub/sub
 * stream lags behind its commands, as one does under load, made steady so that a test need not wait for load to line
 * it up. Usage: {@code try (var p = LaggingPubSubProxy.start(6379, 100)) { ...withRedis(p.url()) }}.
 */
final class LaggingPubSubProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int redisPort;
    private final long delayNanos;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private record Chunk(byte[] bytes, long due) {
    }

    private LaggingPubSubProxy(ServerSocket server, int redisPort, long delayMillis) {
        this.server = server;
        this.redisPort = redisPort;
        this.delayNanos = TimeUnit.MILLISECONDS.toNanos(delayMillis);
    }

    static LaggingPubSubProxy start(int redisPort, long delayMillis) throws IOException {
        LaggingPubSubProxy p = new LaggingPubSubProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), redisPort, delayMillis);
        Thread.ofPlatform().daemon().name("lagging-proxy-accept").start(p::accept);
        return p;
    }

    String url() {
        return "redis://127.0.0.1:" + server.getLocalPort();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket redis = new Socket(InetAddress.getLoopbackAddress(), redisPort);
                client.setTcpNoDelay(true);
                redis.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(redis);
                java.util.concurrent.atomic.AtomicBoolean subscriber = new java.util.concurrent.atomic.AtomicBoolean();
                LinkedBlockingQueue<Chunk> held = new LinkedBlockingQueue<>();
                Thread.ofPlatform().daemon().start(() -> pipe(client, redis, bytes -> {
                    if (!subscriber.get() && new String(bytes, StandardCharsets.ISO_8859_1).toUpperCase().contains("SUBSCRIBE")) {
                        subscriber.set(true);
                    }
                    return bytes;
                }, null));
                Thread.ofPlatform().daemon().start(() -> pipe(redis, client, bytes -> bytes, chunk -> subscriber.get() ? held : null));
                Thread.ofPlatform().daemon().start(() -> release(held, client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** Copies {@code from} to {@code to}; a chunk goes to the queue {@code delayed} names instead, when it names one. */
    private void pipe(Socket from, Socket to, java.util.function.UnaryOperator<byte[]> seen,
                      java.util.function.Function<byte[], LinkedBlockingQueue<Chunk>> delayed) {
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buf)) > 0; ) {
                byte[] bytes = seen.apply(java.util.Arrays.copyOf(buf, n));
                LinkedBlockingQueue<Chunk> queue = delayed == null ? null : delayed.apply(bytes);
                if (queue != null) {
                    queue.add(new Chunk(bytes, System.nanoTime() + delayNanos));
                } else {
                    synchronized (to) {
                        out.write(bytes);
                    }
                }
            }
        } catch (IOException e) {
            // one side went away: the other follows
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /** Writes held chunks when due, in the order they came. */
    private void release(LinkedBlockingQueue<Chunk> held, Socket to) {
        try {
            OutputStream out = to.getOutputStream();
            while (!to.isClosed()) {
                Chunk c = held.poll(100, TimeUnit.MILLISECONDS);
                if (c == null) {
                    continue;
                }
                for (long wait; (wait = c.due() - System.nanoTime()) > 0; ) {
                    LockSupport.parkNanos(wait); // the lag itself
                }
                synchronized (to) {
                    out.write(c.bytes());
                }
            }
        } catch (IOException | InterruptedException e) {
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
        sockets.forEach(LaggingPubSubProxy::closeQuietly);
    }
}
