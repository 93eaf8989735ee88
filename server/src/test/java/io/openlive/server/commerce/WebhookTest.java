package io.openlive.server.commerce;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.openlive.engine.commerce.Commerce;
import io.openlive.engine.commerce.OrderOutcome;
import io.openlive.engine.commerce.OrderRequest;
import io.openlive.engine.commerce.Product;
import io.openlive.engine.platform.HostApps;
import io.openlive.engine.platform.Principal;
import io.openlive.engine.platform.Role;
import io.openlive.server.Eventually;
import io.openlive.server.OpenliveServer;
import io.openlive.server.ServerConfig;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Order webhooks against a real local HTTP receiver: every event arrives signed as docs/commerce.md says to verify it,
 * attempts the receiver refuses are retried, events written while the receiver is down survive a restart of the server
 * and arrive afterwards, and an event seen twice has the same id and body.
 */
class WebhookTest {
    static final Principal ADMIN = new Principal("test", Role.ADMIN, null);

    /** The host app's receiver: answers 500 while {@code failing > 0} (counting down), else 204; keeps what it got. */
    static final class Receiver implements AutoCloseable {
        record Received(String id, String type, String signature, String body) {
        }

        final HttpServer server;
        final List<Received> got = java.util.Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger failing = new AtomicInteger();
        final AtomicInteger attempts = new AtomicInteger();

        Receiver() throws Exception {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/hook", ex -> {
                String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                attempts.incrementAndGet();
                if (failing.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    ex.sendResponseHeaders(500, -1);
                } else {
                    got.add(new Received(ex.getRequestHeaders().getFirst("X-Openlive-Event"), ex.getRequestHeaders().getFirst("X-Openlive-Event-Type"),
                            ex.getRequestHeaders().getFirst("X-Openlive-Signature"), body));
                    ex.sendResponseHeaders(204, -1);
                }
                ex.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }

        Set<String> ids() {
            synchronized (got) {
                Set<String> out = new HashSet<>();
                got.forEach(r -> out.add(r.id()));
                return out;
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** The verification recipe of docs/commerce.md, written from the document, not from the server's code. */
    static boolean verify(String secret, String header, String body, long nowSeconds) throws Exception {
        Map<String, String> parts = new HashMap<>();
        for (String p : header.split(",")) {
            String[] kv = p.split("=", 2);
            parts.put(kv[0].trim(), kv[1].trim());
        }
        long t = Long.parseLong(parts.get("t"));
        if (Math.abs(nowSeconds - t) > 300) {
            return false;
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] expected = mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8));
        return java.security.MessageDigest.isEqual(expected, HexFormat.of().parseHex(parts.get("v1")));
    }

    @Test
    void eventsAreSignedRetriedAndSurviveARestart() throws Exception {
        Path dir = Files.createTempDirectory("openlive-webhooks");
        String room;
        String productId;
        String appId;
        String secret;
        Set<String> orders = new HashSet<>();
        try (Receiver receiver = new Receiver()) {
            OpenliveServer server = OpenliveServer.start(ServerConfig.ephemeral(dir)).await();
            try {
                Commerce commerce = server.commerce();
                HostApps.WithSecret shop = server.platform().apps().create(ADMIN, "Shop", "direct", List.of(), false);
                appId = shop.app().id();
                room = server.platform().rooms().create(ADMIN, "Sale", null, List.of(appId)).id();
                Product p = commerce.products().create(ADMIN, Buyers.JSON.readTree(
                        "{\"title\":\"Kettle\",\"price\":2999,\"currency\":\"EUR\",\"stock\":50,\"broadcaster\":\"b\"}"));
                productId = p.id();
                commerce.products().attach(ADMIN, room, productId);
                JsonNode settings = commerce.carts().putSettings(ADMIN, appId, Buyers.JSON.readTree("{\"webhookUrl\":\"" + receiver.url() + "\"}"));
                secret = settings.path("webhookSecret").asText();

                receiver.failing.set(2); // the first two attempts are refused
                String first = order(commerce, room, appId, productId, "u1", "k1");
                orders.add(first);
                commerce.orders().paid(ADMIN, first);
                Eventually.await("order.created and order.paid delivered", Duration.ofSeconds(30), () -> receiver.got.size() >= 2);
                assertThat(receiver.attempts.get()).as("refused attempts retried").isGreaterThanOrEqualTo(4);
                assertThat(receiver.got).extracting(Receiver.Received::type).containsExactly("order.created", "order.paid");

                receiver.failing.set(Integer.MAX_VALUE); // down for now
                for (int i = 2; i <= 5; i++) {
                    orders.add(order(commerce, room, appId, productId, "u" + i, "k" + i));
                }
                int before = receiver.attempts.get();
                Eventually.await("attempts while the receiver is down", Duration.ofSeconds(10), () -> receiver.attempts.get() > before);
            } finally {
                server.close();
            }
            assertThat(receiver.got).hasSize(2);

            // a new process on the same store: the outbox is still there and is delivered once the receiver is back
            receiver.failing.set(0);
            OpenliveServer again = OpenliveServer.start(ServerConfig.ephemeral(dir)).await();
            try {
                Eventually.await("every event delivered after the restart (leases of interrupted sends lapse first)", Duration.ofSeconds(60), () -> receiver.ids().size() >= 6);
            } finally {
                again.close();
            }

            long now = System.currentTimeMillis() / 1000;
            Map<String, String> bodyOf = new HashMap<>();
            Set<String> ordersSeen = new HashSet<>();
            synchronized (receiver.got) {
                for (Receiver.Received r : receiver.got) {
                    assertThat(verify(secret, r.signature(), r.body(), now)).as("signature of %s", r.id()).isTrue();
                    assertThat(verify("whsec_wrong", r.signature(), r.body(), now)).isFalse();
                    JsonNode body = Buyers.JSON.readTree(r.body());
                    assertThat(body.path("id").asText()).isEqualTo(r.id());
                    assertThat(body.path("type").asText()).isEqualTo(r.type());
                    assertThat(body.path("order").path("roomId").asText()).isEqualTo(room);
                    assertThat(body.path("order").path("appId").asText()).isEqualTo(appId);
                    String earlier = bodyOf.putIfAbsent(r.id(), r.body());
                    assertThat(earlier == null || earlier.equals(r.body())).as("a duplicate of %s carries the same body", r.id()).isTrue();
                    if (r.type().equals("order.created")) {
                        ordersSeen.add(body.path("order").path("id").asText());
                    }
                }
            }
            assertThat(ordersSeen).isEqualTo(orders);
            assertThat(bodyOf).hasSize(6);
        }
    }

    private static String order(Commerce commerce, String room, String app, String product, String viewer, String key) throws Exception {
        OrderOutcome o = commerce.desk().submit(new OrderRequest(room, app, viewer, null, product, 1, key)).get(10, TimeUnit.SECONDS);
        return ((OrderOutcome.Placed) o).order().id();
    }
}
