package io.openlive.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class CommandLineTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
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

    @Test
    void roomCreateJsonPrintsIdAndStreamKeyAndListFindsIt(@TempDir Path dir) throws Exception {
        Result created = run("room", "create", "--title", "Friday sale", "--json", "--data-dir", dir.toString());
        assertThat(created.code()).as(created.err()).isZero();
        JsonNode room = JSON.readTree(created.out());
        assertThat(room.path("id").asText()).startsWith("r");
        assertThat(room.path("streamKey").asText()).startsWith("sk_").isNotEqualTo(room.path("id").asText());
        assertThat(room.path("state").asText()).isEqualTo("scheduled");

        Result listed = run("room", "list", "--json", "--data-dir", dir.toString());
        assertThat(listed.code()).isZero();
        JsonNode rooms = JSON.readTree(listed.out());
        assertThat(rooms).hasSize(1);
        assertThat(rooms.get(0).path("title").asText()).isEqualTo("Friday sale");
        assertThat(Files.exists(dir.resolve("openlive.db"))).isTrue();
    }

    @Test
    void configFileSuppliesDefaultsAndFlagsWin(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("openlive.properties");
        Files.writeString(config, "data-dir=" + dir.resolve("from-file") + "\n");
        assertThat(run("room", "create", "--title", "A", "--config", config.toString()).code()).isZero();
        assertThat(Files.exists(dir.resolve("from-file").resolve("openlive.db"))).isTrue();
        assertThat(run("room", "create", "--title", "B", "--config", config.toString(), "--data-dir", dir.resolve("flag").toString()).code()).isZero();
        assertThat(Files.exists(dir.resolve("flag").resolve("openlive.db"))).isTrue();
    }

    @Test
    void clearMessagesForBadUsage(@TempDir Path dir) {
        Result noTitle = run("room", "create", "--data-dir", dir.toString());
        assertThat(noTitle.code()).isNotZero();
        assertThat(noTitle.err()).contains("Missing required option: '--title=<title>'");
        Result missingConfig = run("room", "list", "--config", dir.resolve("nope.properties").toString());
        assertThat(missingConfig.code()).isEqualTo(2);
        assertThat(missingConfig.err()).contains("cannot read config file");
        Result blank = run("room", "create", "--title", " ", "--data-dir", dir.toString());
        assertThat(blank.code()).isEqualTo(1);
        assertThat(blank.err()).contains("INVALID_TITLE: title must be 1 to 200 characters");
    }
}
