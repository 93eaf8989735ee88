package io.openlive.server.hls;

import io.openlive.engine.room.Room;
import io.openlive.server.Eventually;
import io.openlive.server.Ffmpeg;
import io.openlive.server.ServerFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** LL-HLS players behind a real nginx proxy_cache: the origin sees a fraction of their requests. */
class HlsCacheTest {
    private static final int PLAYERS = 16;
    private static final Duration PLAY_FOR = Duration.ofSeconds(8);
    private static ServerFixture fixture;
    private static Nginx nginx;

    @BeforeAll
    static void start() throws Exception {
        fixture = ServerFixture.start(c -> c, HlsTest.HLS);
        nginx = Nginx.cache(fixture.server.httpPort());
    }

    @AfterAll
    static void stop() throws Exception {
        if (nginx != null) {
            nginx.close();
        }
        fixture.close();
    }

    @Test
    void lowLatencyPlayersBehindACacheReachTheOriginAFractionOfTheTime() throws Exception {
        Room room = fixture.newRoom("cdn");
        Process publisher = Ffmpeg.publish(fixture.publishUrl(room), 40);
        try {
            Eventually.await("room live", Duration.ofSeconds(15), () -> fixture.server.hub().stream(room.id())
                    .map(s -> s.isLive() && s.stats().framesIn.sum() > 0).orElse(false));
            String playlistUrl = nginx.url("/live/" + room.id() + ".m3u8");
            Eventually.await("a segment", Duration.ofSeconds(20), () -> {
                try {
                    HttpResponse<String> r = HlsTest.get(fixture.hlsUrl(room));
                    return r.statusCode() == 200 && Playlist.parse(r.body()).segments().size() >= 2;
                } catch (Exception e) {
                    return false;
                }
            });
            double[] before = originRequests();
            AtomicInteger playerRequests = new AtomicInteger();
            AtomicInteger hits = new AtomicInteger();
            Set<String> failures = ConcurrentHashMap.newKeySet();
            ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
            List<Future<Integer>> players = new java.util.ArrayList<>();
            for (int i = 0; i < PLAYERS; i++) {
                players.add(pool.submit(() -> play(playlistUrl, playerRequests, hits, failures)));
            }
            int parts = 0;
            for (Future<Integer> f : players) {
                parts += f.get();
            }
            pool.shutdown();
            double[] after = originRequests();
            double origin = (after[0] - before[0]) + (after[1] - before[1]);
            System.out.printf("hls behind nginx: %d player requests, %d cache hits, %.0f origin requests%n",
                    playerRequests.get(), hits.get(), origin);
            assertThat(failures).isEmpty();
            assertThat(parts).as("every player got parts").isGreaterThan(PLAYERS * 10);
            assertThat(hits.get()).isGreaterThan(0);
            assertThat(origin).as("origin requests for " + playerRequests.get() + " player requests")
                    .isLessThan(playerRequests.get() / 4.0);
        } finally {
            Ffmpeg.stop(publisher);
        }
    }

    /** Plays like an LL-HLS client: blocking reload for the next part, then every new part once. */
    private static int play(String playlistUrl, AtomicInteger requests, AtomicInteger hits, Set<String> failures) throws Exception {
        long end = System.nanoTime() + PLAY_FOR.toNanos();
        String base = playlistUrl.substring(0, playlistUrl.lastIndexOf('/') + 1);
        Set<String> fetched = new HashSet<>();
        String url = playlistUrl;
        int parts = 0;
        while (System.nanoTime() < end) {
            HttpResponse<String> r = HlsTest.get(url);
            requests.incrementAndGet();
            count(r, hits);
            if (r.statusCode() != 200) {
                failures.add(url + " -> " + r.statusCode() + " " + r.body());
                return parts;
            }
            Playlist p = Playlist.parse(r.body());
            for (String part : p.parts()) {
                if (fetched.add(part) && Playlist.position(part)[0] >= p.mediaSequence() + p.segments().size() - 1) {
                    HttpResponse<String> media = HlsTest.get(base + part);
                    requests.incrementAndGet();
                    count(media, hits);
                    if (media.statusCode() != 200) {
                        failures.add(part + " -> " + media.statusCode());
                    }
                    parts++;
                }
            }
            long[] hint = Playlist.position(p.preloadHint());
            url = playlistUrl + "?_HLS_msn=" + hint[0] + "&_HLS_part=" + hint[1];
        }
        return parts;
    }

    private static void count(HttpResponse<String> r, AtomicInteger hits) {
        if (r.headers().firstValue("X-Cache-Status").orElse("").equals("HIT")) {
            hits.incrementAndGet();
        }
    }

    private static final Pattern COUNTER = Pattern.compile("openlive_hls_requests_total\\{kind=\"(playlist|media)\"[^}]*} ([0-9.eE+]+)");

    private static double[] originRequests() throws Exception {
        String metrics = HlsTest.get(fixture.http("/metrics")).body();
        double[] out = new double[2];
        Matcher m = COUNTER.matcher(metrics);
        while (m.find()) {
            out[m.group(1).equals("playlist") ? 0 : 1] = Double.parseDouble(m.group(2));
        }
        return out;
    }
}
