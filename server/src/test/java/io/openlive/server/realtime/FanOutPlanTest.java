package io.openlive.server.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.openlive.engine.realtime.Priority;
import io.openlive.engine.realtime.RoomMessage;
import io.openlive.server.Eventually;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Delivery of a room's batches to connections whose sockets are on several event loops, over real TCP: one task per
 * loop per batch, every connection gets every batch once and in order whether the batch was handed over from another
 * thread or from one of the loops itself, and a socket that does not read falls behind alone and catches up later with
 * a count of what it missed.
 */
class FanOutPlanTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int LOOPS = 3;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private io.netty.channel.Channel listener;
    private Vertx vertx;
    private final Map<Integer, ChannelHandlerContext> accepted = new ConcurrentHashMap<>();
    private final List<String> closedFor = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        workers = new MultiThreadIoEventLoopGroup(LOOPS, NioIoHandler.newFactory());
        vertx = Vertx.vertx();
        listener = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.SO_SNDBUF, 8 * 1024)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(16 * 1024, 32 * 1024))
                .childHandler(new Accepted())
                .bind("127.0.0.1", 0).sync().channel();
    }

    /** Keeps each accepted channel by the client's port. */
    @io.netty.channel.ChannelHandler.Sharable
    private final class Accepted extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            accepted.put(((InetSocketAddress) ctx.channel().remoteAddress()).getPort(), ctx);
            ctx.fireChannelActive();
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
        listener.close().sync();
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        vertx.close().await();
    }

    /** A viewer's socket and the room's connection for it, subscribed to gifts. */
    private RealtimeConnection connect(String name, Socket socket) throws Exception {
        socket.connect(listener.localAddress(), 5000);
        sockets.add(socket);
        Eventually.await("accepted", Duration.ofSeconds(10), () -> accepted.containsKey(socket.getLocalPort()));
        RealtimeConnection c = new RealtimeConnection(name, new Viewer(name, name, false, Long.MAX_VALUE), "app",
                accepted.get(socket.getLocalPort()), vertx.getOrCreateContext(), closedFor::add,
                RealtimeConfig.defaults().withStuckMillis(120_000), System.nanoTime());
        c.subscribe(List.of("gift"));
        return c;
    }

    /** Reads server frames (unmasked text) from a socket, collecting the gifts' seqs and skipped counts. */
    private static final class Reader extends Thread {
        final List<Long> gifts = new CopyOnWriteArrayList<>();
        final List<Long> skipped = new CopyOnWriteArrayList<>();
        private final DataInputStream in;

        Reader(Socket socket) throws IOException {
            this.in = new DataInputStream(socket.getInputStream());
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                while (true) {
                    int b0 = in.readUnsignedByte();
                    long length = in.readUnsignedByte() & 0x7f;
                    if (length == 126) {
                        length = in.readUnsignedShort();
                    } else if (length == 127) {
                        length = in.readLong();
                    }
                    byte[] payload = new byte[(int) length];
                    in.readFully(payload);
                    if (b0 != 0x81) {
                        throw new IOException("not a final text frame: " + b0);
                    }
                    JsonNode n = JSON.readTree(payload);
                    for (JsonNode e : n.isArray() ? n : JSON.createArrayNode().add(n)) {
                        if (e.path("op").asText().equals("skipped")) {
                            skipped.add(e.path("count").asLong());
                        } else if (e.path("topic").asText().equals("gift")) {
                            gifts.add(e.path("seq").asLong());
                        }
                    }
                }
            } catch (IOException e) {
                // the socket closed at the end of the test
            }
        }
    }

    private static RoomMessage gift(long seq, Priority priority, String note) {
        return new RoomMessage("room", "gift", seq, priority, System.currentTimeMillis(),
                "{\"op\":\"msg\",\"topic\":\"gift\",\"seq\":" + seq + ",\"data\":{\"note\":\"" + note + "\"}}");
    }

    /** One batch of {@code messages}, handed over as a room does: one frame, released by the caller after delivery. */
    private static void deliver(FanOutPlan plan, List<RoomMessage> messages) {
        List<byte[]> envelopes = messages.stream().map(RoomMessage::utf8).toList();
        ByteBuf[] frames = {WebSocketFrames.array(PooledByteBufAllocator.DEFAULT, envelopes, null)};
        try {
            plan.deliver(frames, List.of(messages), System.currentTimeMillis());
        } finally {
            frames[0].release();
        }
    }

    @Test
    void connectionsOnSeveralLoopsGetEveryBatchOnceAndInOrder() throws Exception {
        List<RealtimeConnection> connections = new ArrayList<>();
        List<Reader> readers = new ArrayList<>();
        for (int i = 0; i < 4 * LOOPS; i++) {
            Socket s = new Socket();
            connections.add(connect("c" + i, s));
            Reader r = new Reader(s);
            r.start();
            readers.add(r);
        }
        FanOutPlan plan = FanOutPlan.of(connections);
        assertThat(plan.loops()).as("the sockets are on every loop").isEqualTo(LOOPS);
        assertThat(plan.groups()).as("one subscription set, one frame per batch").hasSize(1);
        long seq = 0;
        for (int batch = 0; batch < 200; batch++) {
            List<RoomMessage> messages = new ArrayList<>();
            for (int k = 0; k <= batch % 3; k++) {
                messages.add(gift(++seq, Priority.NORMAL, ""));
            }
            if (batch % 2 == 0) {
                deliver(plan, messages); // from a thread of no loop: every loop gets a task
            } else {
                // from one of the loops, as a room on it does: its own connections are written at once
                connections.get(batch % connections.size()).loop.submit(() -> deliver(plan, messages)).get(10, TimeUnit.SECONDS);
            }
        }
        List<Long> all = LongStream.rangeClosed(1, seq).boxed().toList();
        for (Reader r : readers) {
            Eventually.await("every batch at every socket", Duration.ofSeconds(20), () -> r.gifts.size() >= all.size());
            assertThat(r.gifts).containsExactlyElementsOf(all);
        }
        assertThat(closedFor).isEmpty();
    }

    @Test
    void aSocketThatDoesNotReadFallsBehindAloneAndCatchesUpLater() throws Exception {
        Socket slowSocket = new Socket();
        slowSocket.setReceiveBufferSize(4096);
        RealtimeConnection slow = connect("slow", slowSocket);
        List<RealtimeConnection> connections = new ArrayList<>(List.of(slow));
        List<Reader> readers = new ArrayList<>();
        for (int i = 0; i < 2 * LOOPS; i++) {
            Socket s = new Socket();
            connections.add(connect("c" + i, s));
            Reader r = new Reader(s);
            r.start();
            readers.add(r);
        }
        FanOutPlan plan = FanOutPlan.of(connections);
        String note = "y".repeat(3000);
        int batches = 300; // about 900 KB: far more than the slow socket's buffers and watermark hold
        for (long seq = 1; seq <= batches; seq++) {
            // high priority: kept for a socket that cannot take it now (normal messages would be dropped and counted)
            deliver(plan, List.of(gift(seq, Priority.HIGH, note)));
        }
        List<Long> all = LongStream.rangeClosed(1, batches).boxed().toList();
        for (Reader r : readers) {
            Eventually.await("every batch at every reading socket", Duration.ofSeconds(30), () -> r.gifts.size() >= all.size());
            assertThat(r.gifts).containsExactlyElementsOf(all);
        }
        assertThat(closedFor).as("behind, not yet stuck for long: held").isEmpty();
        // it reads now: what fit in its buffers, then what waited for it, once it could take it again, in order
        Reader late = new Reader(slowSocket);
        late.start();
        Eventually.await("the slow socket caught up", Duration.ofSeconds(30), () -> late.gifts.size() >= all.size());
        assertThat(late.gifts).containsExactlyElementsOf(all);
        assertThat(late.skipped).isEmpty();
    }

    @Test
    void normalMessagesASlowSocketCannotTakeAreCountedForIt() throws Exception {
        Socket slowSocket = new Socket();
        slowSocket.setReceiveBufferSize(4096);
        FanOutPlan plan = FanOutPlan.of(List.of(connect("slow", slowSocket)));
        String note = "y".repeat(3000);
        int batches = 300;
        for (long seq = 1; seq <= batches; seq++) {
            deliver(plan, List.of(gift(seq, Priority.NORMAL, note)));
        }
        Reader late = new Reader(slowSocket);
        late.start();
        Eventually.await("what it missed, counted", Duration.ofSeconds(30),
                () -> !late.skipped.isEmpty() && late.gifts.size() + late.skipped.stream().mapToLong(Long::longValue).sum() == batches);
        assertThat(late.gifts).as("what went out before it fell behind").isNotEmpty().isSorted().doesNotHaveDuplicates();
        assertThat(closedFor).isEmpty();
    }
}
