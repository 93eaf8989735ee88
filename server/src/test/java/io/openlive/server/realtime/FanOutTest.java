package io.openlive.server.realtime;

import io.openlive.engine.platform.HostApps;
import io.openlive.engine.platform.Principal;
import io.openlive.engine.platform.Role;
import io.openlive.engine.realtime.Priority;
import io.openlive.server.Eventually;
import io.openlive.server.OpenliveServer;
import io.openlive.server.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A room's batches through a whole node with several event loops (the room's loop need not be its sockets' loop; see
 * {@link FanOutPlanTest} for sockets spread over loops): every viewer gets every message once and in order; a socket
 * that does not read holds up no one; viewers joining in a storm, some recovering history, get every message once, in
 * order, with no gap.
 */
class FanOutTest {
    static final Principal ADMIN = new Principal("test", Role.ADMIN, null);
    static final int LOOPS = 4;
    static OpenliveServer server;
    static HostApps.WithSecret app;

    @BeforeAll
    static void start() throws Exception {
        server = OpenliveServer.start(ServerConfig.ephemeral(Files.createTempDirectory("openlive-fanout")).withEventLoops(LOOPS)
                // the test that holds a socket that never reads must see it held, not closed, while the others read
                .withRealtime(RealtimeConfig.defaults().withStuckMillis(120_000))).await();
        app = server.platform().apps().create(ADMIN, "Shop", "direct", List.of(), false);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String newRoom() {
        return server.platform().rooms().create(ADMIN, "Room", null, List.of(app.app().id())).id();
    }

    /** A viewer subscribed to gifts; {@code fromStart}: it joins with since=0 and so first recovers the room's history. */
    static RtClient viewer(String room, String user, boolean fromStart) throws Exception {
        String url = "ws://127.0.0.1:" + server.httpPort() + "/rt?room=" + room + "&app=" + app.app().id() + "&token="
                + URLEncoder.encode(Tokens.viewer(app.secret(), user, user), StandardCharsets.UTF_8) + (fromStart ? "&since=0" : "");
        RtClient c = RtClient.connect(url);
        c.awaitMsg("system", d -> d.path("type").asText().equals("welcome"), 10_000);
        c.sub("gift");
        assertThat(c.call("room.info", Map.of()).path("op").asText()).as("subscribed").isEqualTo("result");
        return c;
    }

    /** Publishes {@code n} gifts (high priority: never dropped for a viewer that keeps up) and returns their seqs. */
    static List<Long> publishGifts(String room, int n, String note) throws Exception {
        List<Long> seqs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            seqs.add(server.bus().publish(room, "gift", Priority.HIGH, RtClient.JSON.createObjectNode().put("gift", "rose").put("i", i)
                    .put("note", note)).toCompletableFuture().get(10, TimeUnit.SECONDS).seq());
        }
        return seqs;
    }

    /** The seqs of the gifts {@code c} received, in the order it received them. */
    static List<Long> gifts(RtClient c) {
        return c.received().stream().filter(e -> e.path("topic").asText().equals("gift")).map(e -> e.path("seq").asLong()).toList();
    }

    @Test
    void everyViewerGetsEveryBatchInOrderExactlyOnce() throws Exception {
        String room = newRoom();
        List<RtClient> viewers = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                viewers.add(viewer(room, "v" + i, false));
            }
            List<Long> sent = new ArrayList<>();
            for (int round = 0; round < 10; round++) { // many batches, some with one message, some with several
                sent.addAll(publishGifts(room, 1 + round * 3, ""));
            }
            long last = sent.get(sent.size() - 1);
            for (RtClient v : viewers) {
                v.awaitMsg("gift", d -> true, 10_000);
                Eventually.await("every gift at every viewer", Duration.ofSeconds(20), () -> gifts(v).contains(last));
            }
            for (RtClient v : viewers) {
                assertThat(gifts(v)).as("each gift once, in order").containsExactlyElementsOf(sent);
            }
        } finally {
            viewers.forEach(RtClient::close);
        }
    }

    @Test
    void aSocketThatDoesNotReadDelaysNoOne() throws Exception {
        String room = newRoom();
        List<RtClient> viewers = new ArrayList<>();
        try (Socket raw = new Socket("127.0.0.1", server.httpPort())) {
            raw.setReceiveBufferSize(4096);
            OutputStream out = raw.getOutputStream();
            String token = Tokens.viewer(app.secret(), "sleeper", "sleeper");
            out.write(("GET /rt?room=" + room + "&app=" + app.app().id() + "&token=" + token + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(RealtimeBadInputTest.maskedText("{\"op\":\"sub\",\"topics\":[\"gift\"]}"));
            out.flush();
            InputStream in = raw.getInputStream();
            assertThat(in.read(new byte[12])).isPositive(); // the 101 started; from here on, nothing is read
            for (int i = 0; i < 6; i++) {
                viewers.add(viewer(room, "reader" + i, false));
            }
            Eventually.await("the sleeper and the readers joined", Duration.ofSeconds(10), () -> server.realtime().connections() >= 7);
            int joined = server.realtime().connections();
            // far more than the sleeper's socket buffers hold: without per-connection backlogs, its loop would stall on it
            List<Long> sent = publishGifts(room, 400, "y".repeat(3000));
            long last = sent.get(sent.size() - 1);
            for (RtClient v : viewers) {
                Eventually.await("every gift at every reader", Duration.ofSeconds(30), () -> gifts(v).contains(last));
                assertThat(gifts(v)).containsExactlyElementsOf(sent);
            }
            assertThat(server.realtime().connections()).as("the sleeper is still held, behind, not closed").isEqualTo(joined);
        } finally {
            viewers.forEach(RtClient::close);
        }
    }

    @Test
    void aJoinStormWhileMessagesFlowLosesAndRepeatsNothing() throws Exception {
        String room = newRoom();
        List<RtClient> viewers = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutorService joiners = Executors.newFixedThreadPool(8);
        // The publisher is this thread alone, so at most one gift is being published while a joiner looks: every gift
        // from two past the last published when its subscription was confirmed was made after that, and must reach it.
        java.util.concurrent.atomic.AtomicLong lastPublished = new java.util.concurrent.atomic.AtomicLong();
        Map<RtClient, Long> mustHaveFrom = new ConcurrentHashMap<>();
        try {
            RtClient first = viewer(room, "first", true);
            viewers.add(first);
            mustHaveFrom.put(first, 1L);
            List<Long> sent = new ArrayList<>(publishGifts(room, 5, ""));
            lastPublished.set(sent.get(sent.size() - 1));
            List<Future<?>> joins = new ArrayList<>();
            for (int i = 0; i < 48; i++) {
                boolean fromStart = i % 2 == 0;
                String user = "storm" + i;
                joins.add(joiners.submit(() -> {
                    RtClient v = viewer(room, user, fromStart);
                    mustHaveFrom.put(v, lastPublished.get() + 2);
                    viewers.add(v);
                    return null;
                }));
            }
            // gifts keep coming while they join, one as each join completes (or every 20 ms), so that history (1,000
            // messages) still reaches back to the first: each joiner recovers some from history and gets the rest live
            for (Future<?> f : joins) {
                while (!f.isDone()) {
                    sent.addAll(publishGifts(room, 1, ""));
                    lastPublished.set(sent.get(sent.size() - 1));
                    try {
                        f.get(20, TimeUnit.MILLISECONDS);
                    } catch (java.util.concurrent.TimeoutException notYet) {
                        // still joining: another gift
                    }
                }
                f.get();
            }
            sent.addAll(publishGifts(room, 5, ""));
            long last = sent.get(sent.size() - 1);
            List<Long> all = LongStream.rangeClosed(1, last).boxed().toList();
            assertThat(sent).containsExactlyElementsOf(all);
            for (RtClient v : List.copyOf(viewers)) {
                Eventually.await("every gift at every viewer", Duration.ofSeconds(30), () -> gifts(v).contains(last));
                List<Long> got = gifts(v);
                assertThat(got).as("each gift once, in order").isSorted().doesNotHaveDuplicates();
                long from = mustHaveFrom.get(v);
                assertThat(got).as("every gift made after its subscription, none missing")
                        .containsAll(all.subList((int) Math.min(from - 1, all.size()), all.size()));
                if (got.get(0) != 1L) {
                    // joined without history: from its first gift on, none missing
                    assertThat(got).containsExactlyElementsOf(all.subList((int) (got.get(0) - 1), all.size()));
                }
            }
            long recovering = viewers.stream().filter(v -> gifts(v).get(0) == 1L).count();
            assertThat(recovering).as("the viewers that joined with since=0 recovered from the start").isGreaterThanOrEqualTo(25);
        } finally {
            joiners.shutdownNow();
            viewers.forEach(RtClient::close);
        }
    }

    @Test
    void viewersOfDifferentSubscriptionsGetTheirOwnFrames() throws Exception {
        // one frame per subscription set and batch, shared by that set's viewers whatever their loop
        String room = newRoom();
        try (RtClient giftsOnly = viewer(room, "g", false); RtClient both = viewer(room, "b", false)) {
            both.sub("gift", "comment");
            assertThat(both.call("room.info", Map.of()).path("op").asText()).isEqualTo("result");
            server.bus().publish(room, "comment", Priority.NORMAL, RtClient.JSON.createObjectNode().put("text", "hi"))
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            List<Long> gifts = publishGifts(room, 3, "");
            long last = gifts.get(2);
            Eventually.await("gifts at both", Duration.ofSeconds(10), () -> gifts(giftsOnly).contains(last) && gifts(both).contains(last));
            assertThat(both.received().stream().filter(e -> e.path("topic").asText().equals("comment"))).hasSize(1);
            assertThat(giftsOnly.received().stream().filter(e -> e.path("topic").asText().equals("comment"))).isEmpty();
            assertThat(gifts(giftsOnly)).containsExactlyElementsOf(gifts);
            assertThat(gifts(both)).containsExactlyElementsOf(gifts);
        }
    }
}
