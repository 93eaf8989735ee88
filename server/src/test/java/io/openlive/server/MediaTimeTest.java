package io.openlive.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.openlive.kernel.amf0.Amf0Reader;
import io.openlive.protocol.rtmp.RtmpMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Media time over real sockets, on the demo room (live from its sample loop): {@code mt} on room messages,
 * {@code mediaTime}/{@code serverTime} in {@code room.info}, and {@code onOpenliveClock} first in every FLV viewer.
 */
class MediaTimeTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient http = HttpClient.newHttpClient();
    static OpenliveServer server;
    static String room;

    @BeforeAll
    static void start() throws Exception {
        server = OpenliveServer.start(ServerConfig.ephemeral(Files.createTempDirectory("openlive-mt"))
                .withContainer(new ContainerConfig(0, "", true, true, ContainerConfig.OFFICIAL_FOLDER))).await();
        room = server.demo().orElseThrow().room();
        Eventually.await("the demo loop to have sent frames", Duration.ofSeconds(10), () -> server.hub().mediaTime(room).isPresent());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void roomInfoAndEveryMessageCarryTheRoomsMediaTime() throws Exception {
        LinkedBlockingQueue<JsonNode> in = new LinkedBlockingQueue<>();
        WebSocket ws = realtime(server, in);
        try {
            long before = server.hub().mediaTime(room).orElseThrow();
            ws.sendText("{\"id\":1,\"op\":\"call\",\"method\":\"room.info\",\"params\":{}}", true).join();
            JsonNode info = await(in, e -> e.path("id").asInt() == 1).path("result");
            assertThat(info.path("mediaTime").asLong()).isGreaterThanOrEqualTo(before);
            assertThat(info.path("serverTime").asLong()).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(5000L));
            assertCommentStamped(server, room, ws, in);
        } finally {
            ws.abort();
        }
    }

    @Test
    void messagesThroughRedisCarryItToo() throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", 6379)) {
            s.getOutputStream();
        } catch (Exception e) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("Redis is not reachable at 127.0.0.1:6379", e);
            }
            org.junit.jupiter.api.Assumptions.abort("Redis is not reachable at 127.0.0.1:6379");
        }
        OpenliveServer node = OpenliveServer.start(ServerConfig.ephemeral(Files.createTempDirectory("openlive-mt-redis"))
                .withRedis("redis://127.0.0.1:6379").withContainer(new ContainerConfig(0, "", true, true, ContainerConfig.OFFICIAL_FOLDER))).await();
        try {
            String demoRoom = node.demo().orElseThrow().room();
            Eventually.await("the demo loop to have sent frames", Duration.ofSeconds(10), () -> node.hub().mediaTime(demoRoom).isPresent());
            LinkedBlockingQueue<JsonNode> in = new LinkedBlockingQueue<>();
            WebSocket ws = realtime(node, in);
            try {
                assertCommentStamped(node, demoRoom, ws, in);
            } finally {
                ws.abort();
            }
        } finally {
            node.close();
        }
    }

    /** A comment sent now comes back stamped with the media time between just before and just after it was sent. */
    private static void assertCommentStamped(OpenliveServer node, String room, WebSocket ws, LinkedBlockingQueue<JsonNode> in) throws Exception {
        ws.sendText("{\"op\":\"sub\",\"topics\":[\"comment\"]}", true).join();
        long sent = node.hub().mediaTime(room).orElseThrow();
        ws.sendText("{\"id\":2,\"op\":\"call\",\"method\":\"comment.send\",\"params\":{\"text\":\"in sync\"}}", true).join();
        JsonNode msg = await(in, e -> "msg".equals(e.path("op").asText()) && "comment".equals(e.path("topic").asText()));
        long after = node.hub().mediaTime(room).orElseThrow();
        assertThat(msg.path("mt").asLong(-1)).as(msg.toString()).isBetween(sent, after);
        assertThat(msg.path("seq").asLong()).isPositive();
    }

    /** The demo shop's realtime channel in the node's demo room, signed in through the demo token route. */
    private static WebSocket realtime(OpenliveServer node, LinkedBlockingQueue<JsonNode> in) throws Exception {
        var demo = node.demo().orElseThrow();
        JsonNode token = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort()
                + "/demo/api/token?app=shop&name=Mia")).build(), HttpResponse.BodyHandlers.ofString()).body());
        StringBuilder text = new StringBuilder();
        return http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + node.httpPort() + "/rt?room=" + demo.room()
                + "&app=" + demo.shop() + "&token=" + URLEncoder.encode(token.path("token").asText(), StandardCharsets.UTF_8)), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    try {
                        JsonNode n = JSON.readTree(text.toString());
                        for (JsonNode e : n.isArray() ? n : JSON.createArrayNode().add(n)) {
                            in.add(e);
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    text.setLength(0);
                }
                w.request(1);
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
    }

    @Test
    void httpFlvViewersGetTheClockBeforeAnyMediaTag() throws Exception {
        try (FlvClient viewer = new FlvClient("http://127.0.0.1:" + server.httpPort() + "/live/" + room + ".flv")) {
            Eventually.await("a few tags", Duration.ofSeconds(10), () -> viewer.tags.size() >= 6);
            FlvClient.Tag clock = viewer.tags.get(0);
            assertThat(clock.type()).isEqualTo(18);
            assertClock(clock.body(), clock.timestamp(), firstMedia(viewer.tags.stream()
                    .map(t -> new int[]{t.type(), t.timestamp(), t.firstByte(), t.secondByte()}).toList()));
            assertThat(viewer.tags.stream().filter(t -> t.type() == 18).count()).as("one clock and one onMetaData").isEqualTo(2);
        }
    }

    @Test
    void webSocketFlvViewersGetItToo() throws Exception {
        LinkedBlockingQueue<byte[]> messages = new LinkedBlockingQueue<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + server.httpPort() + "/live/" + room + ".flv"),
                new WebSocket.Listener() {
                    private final java.io.ByteArrayOutputStream acc = new java.io.ByteArrayOutputStream();

                    @Override
                    public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
                        byte[] b = new byte[data.remaining()];
                        data.get(b);
                        acc.writeBytes(b);
                        if (last) {
                            messages.add(acc.toByteArray());
                            acc.reset();
                        }
                        w.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        try {
            byte[] header = messages.poll(10, TimeUnit.SECONDS);
            assertThat(new String(header, 0, 3, StandardCharsets.US_ASCII)).isEqualTo("FLV");
            List<byte[]> tags = new java.util.ArrayList<>();
            while (tags.size() < 6) {
                byte[] t = messages.poll(10, TimeUnit.SECONDS);
                assertThat(t).as("tags keep coming").isNotNull();
                tags.add(t);
            }
            byte[] clock = tags.get(0);
            assertThat(clock[0]).isEqualTo((byte) 18);
            List<int[]> heads = tags.stream().map(t -> new int[]{t[0], timestamp(t), t[11] & 0xff, t[12] & 0xff}).toList();
            assertClock(java.util.Arrays.copyOfRange(clock, 11, clock.length - 4), timestamp(clock), firstMedia(heads));
        } finally {
            ws.abort();
        }
    }

    @Test
    void rtmpViewersDoNotGetIt() throws Exception {
        try (TestRtmpClient viewer = TestRtmpClient.connect(server.rtmpPort())) {
            assertThat(viewer.play(room)).startsWith("NetStream.Play.");
            List<RtmpMessage> first = viewer.untilMedia(Duration.ofSeconds(10));
            assertThat(first).noneMatch(m -> m instanceof RtmpMessage.Data d && d.values().contains("onOpenliveClock"));
        }
    }

    /** The clock's body is onOpenliveClock {mediaTime}, stamped like the first audio or video frame, which it names. */
    private static void assertClock(byte[] body, int tagTimestamp, int firstMedia) {
        List<Object> values = Amf0Reader.readAll(Unpooled.wrappedBuffer(body));
        assertThat(values.get(0)).isEqualTo("onOpenliveClock");
        assertThat(((Map<?, ?>) values.get(1)).get("mediaTime")).isEqualTo((double) firstMedia);
        assertThat(tagTimestamp).isEqualTo(firstMedia);
    }

    /** Timestamp of the first tag that is audio or video and not a sequence header; tags as {type, ts, byte0, byte1}. */
    private static int firstMedia(List<int[]> tags) {
        return tags.stream().filter(t -> (t[0] == 8 || t[0] == 9) && t[3] != 0).findFirst().orElseThrow()[1];
    }

    private static int timestamp(byte[] tag) {
        return ((tag[4] & 0xff) << 16 | (tag[5] & 0xff) << 8 | (tag[6] & 0xff)) | (tag[7] & 0xff) << 24;
    }

    private static JsonNode await(LinkedBlockingQueue<JsonNode> in, java.util.function.Predicate<JsonNode> p) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonNode e = in.poll(50, TimeUnit.MILLISECONDS);
            if (e != null && p.test(e)) {
                return e;
            }
        }
        throw new AssertionError("no matching envelope within 10 s");
    }
}
