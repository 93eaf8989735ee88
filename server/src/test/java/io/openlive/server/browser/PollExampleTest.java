package io.openlive.server.browser;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlive.server.cli.OpenliveCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The third-party sample in {@code examples/poll} as an outside developer ships it: packed and pushed with the real
 * command line, submitted through the automated checks, approved, bound, and used from two browsers: one viewer starts a
 * poll, another sees it and votes, and both see the vote.
 */
class PollExampleTest {
    static final Path POLL = Path.of("..", "examples", "poll", "component");

    @Test
    void pollSamplePacksPushesAndRunsInTwoBrowsers(@TempDir Path dir) throws Exception {
        try (Stage stage = Stage.start()) {
            String developer = stage.thirdPartyDeveloper("Example Co");
            String zip = dir.resolve("poll.zip").toString();
            assertThat(cli("component", "pack", POLL.toString(), "-o", zip).code).isZero();
            List<String> remote = List.of("--server", stage.fixture.http(""), "--api-key", developer, "--json");
            JsonNode pushed = json(cli(remote, "component", "push", POLL.toString()));
            String version = pushed.path("id").asText();
            JsonNode submitted = json(cli(remote, "component", "submit", version));
            assertThat(submitted.path("state").asText()).as("%s", submitted).isEqualTo("in_review");
            stage.approve(version);
            stage.bind("shop", List.of("comments"), List.of(Map.of("versionId", version, "slot", "bottom-bar")));

            try (Browser mia = Browser.open(1366, 900); Browser noah = Browser.open(390, 844)) {
                RoomPage asker = new RoomPage(mia).open(stage.hostPage("shop", "Mia"));
                RoomPage voter = new RoomPage(noah).open(stage.hostPage("shop", "Noah"));
                asker.awaitFrameJs("example.poll", Duration.ofSeconds(20), "return !!document.getElementById('start')");
                voter.awaitFrameJs("example.poll", Duration.ofSeconds(20), "return !!document.getElementById('start')");
                asker.frameJs("example.poll", """
                        document.getElementById('question').value = 'Blue or red?';
                        document.getElementById('options').value = 'Blue, Red';
                        document.getElementById('start').click();""");
                voter.awaitFrameJs("example.poll", Duration.ofSeconds(10), "return document.getElementById('title').textContent === 'Blue or red?'");
                voter.frameJs("example.poll", "document.querySelectorAll('#answers button')[1].click()");
                asker.awaitFrameJs("example.poll", Duration.ofSeconds(10), "return document.getElementById('note').textContent === '1 vote'");
                assertThat((String) asker.frameJs("example.poll", "return document.getElementById('answers').textContent")).contains("Red · 100%");
            }
        }
    }

    private record Result(int code, String out, String err) {
    }

    private static Result cli(List<String> options, String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(options);
        return cli(all.toArray(String[]::new));
    }

    private static Result cli(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = OpenliveCommand.run(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static JsonNode json(Result r) throws Exception {
        assertThat(r.code).as("%s%s", r.out, r.err).isZero();
        return PlatformApi.JSON.readTree(r.out);
    }
}
