package io.openlive.server.restream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.openlive.engine.room.Room;
import io.openlive.server.KeyedRequests;
import io.openlive.server.ServerFixture;
import io.openlive.server.commerce.Stores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many creates fired at once at one room, through one node or two sharing PostgreSQL: exactly
 * {@link Restreams#MAX_PER_ROOM} are created, every other one is refused with 409 {@code RESTREAM_LIMIT}, and the list
 * shows the eight. The cap used to be a count-then-insert that two nodes could both pass.
 */
class RestreamCapRaceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int CREATES = 40;
    static final int ROUNDS = 6;

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres, two nodes"})
    void racingCreatesStopAtTheCap(String kind) throws Exception {
        boolean twoNodes = kind.endsWith("two nodes");
        try (Stores db = Stores.of(kind.startsWith("postgres") ? "postgres" : "sqlite");
             ServerFixture one = ServerFixture.start(c -> c.withDatabase(db.url));
             ServerFixture other = twoNodes ? ServerFixture.start(c -> c.withDatabase(db.url)) : null) {
            ServerFixture two = other != null ? other : one;
            String admin = one.server.platform().keys().bootstrapAdmin().orElseThrow();
            ExecutorService pool = Executors.newFixedThreadPool(CREATES);
            try {
                for (int round = 0; round < ROUNDS; round++) { // a race lost once is not a race that cannot happen
                    Room room = one.newRoom("raced " + round);
                    String path = "/api/v1/rooms/" + room.id() + "/restreams";
                    List<HttpResponse<byte[]>> answers = createAtOnce(pool, List.of(one.http(path), two.http(path)), admin);
                    int created = 0;
                    for (HttpResponse<byte[]> r : answers) {
                        if (r.statusCode() == 201) {
                            created++;
                        } else {
                            assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(409);
                            assertThat(JSON.readTree(r.body()).path("error").path("code").asText()).isEqualTo("RESTREAM_LIMIT");
                        }
                    }
                    assertThat(created).as("round %d: created, the rest refused with RESTREAM_LIMIT", round)
                            .isEqualTo(Restreams.MAX_PER_ROOM);
                    for (ServerFixture node : List.of(one, two)) {
                        assertThat(JSON.readTree(KeyedRequests.send("GET", node.http(path), admin, null).body()).path("items"))
                                .as("round %d: listed", round).hasSize(Restreams.MAX_PER_ROOM);
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** {@link #CREATES} creates released together, alternating between {@code urls}; their answers. */
    private static List<HttpResponse<byte[]>> createAtOnce(ExecutorService pool, List<String> urls, String admin) throws Exception {
        String body = "{\"url\":\"rtmp://127.0.0.1:1/live\",\"key\":\"k\",\"enabled\":false}";
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<byte[]>>> creates = new ArrayList<>();
        for (int i = 0; i < CREATES; i++) {
            String url = urls.get(i % urls.size());
            creates.add(pool.submit(() -> {
                go.await();
                return KeyedRequests.send("POST", url, admin, body);
            }));
        }
        go.countDown();
        List<HttpResponse<byte[]>> answers = new ArrayList<>();
        for (Future<HttpResponse<byte[]>> f : creates) {
            answers.add(f.get());
        }
        return answers;
    }
}
