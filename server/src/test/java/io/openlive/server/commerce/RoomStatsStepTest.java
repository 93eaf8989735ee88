package io.openlive.server.commerce;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlive.engine.platform.Principal;
import io.openlive.engine.platform.Role;
import io.openlive.server.OpenliveServer;
import io.openlive.server.ServerConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The series step of the room statistics over a real server's API: a caller who names no step gets the smallest step of
 * the ladder that keeps the series within 1000 points (a minute at least once the range reaches samples rolled up to
 * minutes) and is told which; a step the caller names that gives too many points is refused with the step that would do.
 */
class RoomStatsStepTest {
    static final Principal ADMIN = new Principal("test", Role.ADMIN, null);

    @Test
    void aMissingStepIsChosenAndAnExplicitOneIsChecked() throws Exception {
        OpenliveServer server = OpenliveServer.start(ServerConfig.ephemeral(Files.createTempDirectory("openlive-stats-step"))).await();
        try {
            String adminKey = server.platform().keys().bootstrapAdmin().orElseThrow();
            String room = server.platform().rooms().create(ADMIN, "Show", null, List.of()).id();
            Rest api = new Rest(server.httpPort(), adminKey);
            String path = "/rooms/" + room + "/stats";

            // the defaults: the last 24 h, in 5 min points
            JsonNode day = api.ok("GET", path, null);
            assertThat(day.path("step").asLong()).isEqualTo(300);
            assertThat(day.path("series").size()).isEqualTo(288);

            Instant now = Instant.now();
            assertThat(chosen(api, path, now.minus(Duration.ofMinutes(30)), now)).as("within the fine hour: the 10 s sample").isEqualTo(10);
            assertThat(chosen(api, path, now.minus(Duration.ofMinutes(150)), now.minus(Duration.ofMinutes(120))))
                    .as("samples already rolled up to minutes: no finer than a minute").isEqualTo(60);
            assertThat(chosen(api, path, now.minus(Duration.ofMinutes(150)), now)).as("9000 s: 900 points of 10 s would fit, but it reaches minutes")
                    .isEqualTo(60);
            assertThat(chosen(api, path, now.minus(Duration.ofHours(12)), now)).as("43200 s: 720 points of a minute").isEqualTo(60);
            assertThat(chosen(api, path, now.minus(Duration.ofDays(2)), now)).as("2880 points of a minute are too many").isEqualTo(300);
            assertThat(chosen(api, path, now.minus(Duration.ofDays(30)), now)).isEqualTo(3600);
            assertThat(chosen(api, path, now.minus(Duration.ofDays(999)), now)).isEqualTo(86_400);

            JsonNode explicit = api.ok("GET", path + "?step=60&from=" + now.minus(Duration.ofHours(2)) + "&to=" + now, null);
            assertThat(explicit.path("step").asLong()).as("an explicit step that fits is kept").isEqualTo(60);
            assertThat(explicit.path("series").size()).isEqualTo(120);

            Rest.Response tooFine = api.send("GET", path + "?step=60", null);
            assertThat(tooFine.status()).isEqualTo(400);
            assertThat(tooFine.body().path("error").path("message").asText(tooFine.body().toString()))
                    .as("%s", tooFine.body()).contains("1440 points").contains("step=90");
            Rest.Response tooLong = api.send("GET", path + "?from=" + now.minus(Duration.ofDays(1001)) + "&to=" + now, null);
            assertThat(tooLong.status()).isEqualTo(400);
            assertThat(tooLong.body().toString()).contains("narrow the range");
            assertThat(api.send("GET", path + "?step=15", null).status()).as("not a multiple of the 10 s sample").isEqualTo(400);
        } finally {
            server.close();
        }
    }

    private static long chosen(Rest api, String path, Instant from, Instant to) throws Exception {
        JsonNode s = api.ok("GET", path + "?from=" + from + "&to=" + to, null);
        long step = s.path("step").asLong();
        long range = Duration.between(from, to).toMillis();
        assertThat(s.path("series").size()).as("one point per step").isEqualTo((int) ((range + step * 1000 - 1) / (step * 1000)));
        return step;
    }
}
