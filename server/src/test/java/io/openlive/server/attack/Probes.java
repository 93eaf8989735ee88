package io.openlive.server.attack;

import io.openlive.engine.room.Room;
import io.openlive.server.ServerFixture;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * What users of a node do while an attack runs, each timed: an API call, an RTMP publish and play, an HTTP-FLV join and
 * a {@code /rt} join. {@link #round} runs one of each and returns how long each took to be answered.
 */
final class Probes {
    record Timing(String what, long millis, String outcome) {
    }

    private final ServerFixture node;
    private final Api api;
    private final String adminKey;
    private final Room live;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Probes(ServerFixture node, Api api, String adminKey, Room live) {
        this.node = node;
        this.api = api;
        this.adminKey = adminKey;
        this.live = live;
    }

    List<Timing> round() {
        List<Timing> t = new ArrayList<>();
        t.add(time("api GET /me", () -> String.valueOf(api.call("GET", "/me", adminKey, null).status())));
        t.add(time("rtmp publish", () -> {
            Room room = node.newRoom("probe");
            try (RtmpPeer p = RtmpPeer.open(node.server.rtmpPort()).handshake()) {
                return p.publish(room.streamKey());
            }
        }));
        t.add(time("rtmp play", () -> {
            try (RtmpPeer p = RtmpPeer.open(node.server.rtmpPort()).handshake()) {
                return p.play(live.id());
            }
        }));
        t.add(time("http-flv join", () -> {
            HttpResponse<InputStream> r = http.sendAsync(HttpRequest.newBuilder(URI.create(node.httpFlvUrl(live))).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream()).get(10, TimeUnit.SECONDS);
            r.body().close();
            return String.valueOf(r.statusCode());
        }));
        t.add(time("/rt join", () -> {
            CompletableFuture<String> first = new CompletableFuture<>();
            String url = "ws://127.0.0.1:" + node.server.httpPort() + "/rt?room=r" + UUID.randomUUID().toString().substring(0, 8) + "&app=app_x";
            WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create(url), new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                    first.complete(data.toString());
                    return null;
                }

                @Override
                public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
                    first.complete("close " + code);
                    return null;
                }
            }).get(10, TimeUnit.SECONDS);
            try {
                return first.get(10, TimeUnit.SECONDS);
            } finally {
                ws.abort();
            }
        }));
        return t;
    }

    interface Probe {
        String run() throws Exception;
    }

    private static Timing time(String what, Probe p) {
        long start = System.nanoTime();
        String outcome;
        try {
            outcome = p.run();
        } catch (Exception e) {
            outcome = "failed: " + e;
        }
        return new Timing(what, (System.nanoTime() - start) / 1_000_000, outcome);
    }
}
