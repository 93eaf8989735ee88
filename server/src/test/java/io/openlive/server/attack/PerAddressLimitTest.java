package io.openlive.server.attack;

import io.openlive.engine.platform.Principal;
import io.openlive.engine.platform.Role;
import io.openlive.server.ServerFixture;
import io.openlive.server.http.HttpLimits;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Finding: no per-address cap: 2,000 anonymous {@code /rt} upgrades from one address completed in 0.3 s, and one
 * address could hold any number of HTTP connections. Now an address holds at most the configured connections (more are
 * closed at accept) and makes anonymous upgrades at a bounded rate (more are answered 429); both are counted in
 * {@code /metrics}. Viewers with a token are not rate limited, and 0 turns each limit off (the bench scripts' setting).
 */
class PerAddressLimitTest {
    static final Principal ADMIN = new Principal("test", Role.ADMIN, null);

    @Test
    void anonymousUpgradesComeAtTheRate() throws Exception {
        try (ServerFixture node = ServerFixture.start(c -> c.withHttpLimits(new HttpLimits(Duration.ofSeconds(10), Duration.ofSeconds(60), 0, 5)))) {
            int port = node.server.httpPort();
            var app = node.server.platform().apps().create(ADMIN, "Shop", "direct", List.of(), false);
            String room = node.server.platform().rooms().create(ADMIN, "Room", null, List.of(app.app().id())).id();
            List<RawWebSocket> joined = new ArrayList<>();
            int refused = 0;
            try {
                for (int i = 0; i < 30; i++) {
                    RawWebSocket ws = RawWebSocket.open(port, "/rt?room=" + room + "&app=" + app.app().id(), null);
                    if (ws.responseHead.startsWith("HTTP/1.1 429")) {
                        refused++;
                        ws.close();
                    } else {
                        assertThat(ws.responseHead).startsWith("HTTP/1.1 101");
                        joined.add(ws);
                    }
                }
                // a burst of twice the rate, plus what refills while they connect
                assertThat(joined.size()).as("anonymous upgrades let through").isBetween(10, 15);
                assertThat(refused).isEqualTo(30 - joined.size());
                RawWebSocket signed = Viewers.join(port, room, app.app().id(), Viewers.token(app.secret(), "alice"));
                joined.add(signed);
            } finally {
                for (RawWebSocket ws : joined) {
                    ws.close();
                }
            }
            String metrics = metrics(node);
            assertThat(metrics).contains("openlive_http_refused_total{reason=\"rt_anonymous_rate\"} " + refused + ".0");
        }
    }

    @Test
    void oneAddressHoldsAtMostTheCap() throws Exception {
        try (ServerFixture node = ServerFixture.start(c -> c.withHttpLimits(new HttpLimits(Duration.ofSeconds(10), Duration.ofSeconds(60), 40, 0)))) {
            int port = node.server.httpPort();
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 40; i++) {
                    held.add(HttpDeadlineTest.keptAlive(port));
                }
                Socket over = new Socket("127.0.0.1", port);
                held.add(over);
                assertThat(HttpDeadlineTest.closedBy(over, System.nanoTime() + Duration.ofSeconds(5).toNanos()))
                        .as("the 41st connection from one address is closed").isTrue();
                held.remove(0).close();
                io.openlive.server.Eventually.await("a place freed", Duration.ofSeconds(5), () -> {
                    try (Socket again = HttpDeadlineTest.keptAlive(port)) {
                        return true;
                    } catch (IOException e) {
                        return false;
                    }
                });
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }

            String metrics = metrics(node);
            assertThat(metrics).containsPattern("openlive_http_refused_total\\{reason=\"platform_connections_per_address\"} [1-9]");
        }
    }

    @Test
    void zeroTurnsTheLimitsOff() throws Exception {
        try (ServerFixture node = ServerFixture.start(c -> c.withHttpLimits(new HttpLimits(Duration.ofSeconds(10), Duration.ofSeconds(60), 0, 0)))) {
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 600; i++) {
                    held.add(HttpDeadlineTest.keptAlive(node.server.httpPort()));
                }
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }

    /** The node's /metrics, once the closed test connections have left the per-address count. */
    static String metrics(ServerFixture node) throws Exception {
        String[] got = new String[1];
        io.openlive.server.Eventually.await("/metrics answered", Duration.ofSeconds(10), () -> {
            try {
                got[0] = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.http("/metrics"))).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                return true;
            } catch (IOException | InterruptedException e) {
                return false;
            }
        });
        return got[0];
    }
}
