package io.openlive.server.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openlive.server.Eventually;
import io.openlive.server.Ffmpeg;
import io.openlive.server.FlvClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server runs as a child JVM and is killed with SIGKILL mid-show: the recording so far plays, missing at most the
 * part in flight; the next start finalises it as a faststart MP4.
 */
class RecordingCrashTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Parts of a recording are 500 ms: what a kill may lose, plus the frame being received. */
    private static final double ONE_PART = 0.5 + 0.1;
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static List<String> cli(String... args) {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), "io.openlive.server.cli.OpenliveCommand"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static JsonNode runJson(Path dataDir, String... args) throws Exception {
        List<String> cmd = cli(args);
        cmd.addAll(List.of("--data-dir", dataDir.toString(), "--json"));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return JSON.readTree(out);
    }

    private Process serve(Path dataDir, int http, int rtmp) throws Exception {
        List<String> cmd = cli("serve", "--data-dir", dataDir.toString(), "--host", "127.0.0.1",
                "--http-port", String.valueOf(http), "--rtmp-port", String.valueOf(rtmp), "--publisher-grace", "30s",
                "--component-port", "0", "--no-demo");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("serve-" + System.nanoTime() + ".log").toFile()).start();
        processes.add(p);
        Eventually.await("server up", Duration.ofSeconds(60), () -> {
            try {
                return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/healthz")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        return p;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void killDashNineMidShowLeavesARecordingThatPlaysUpToTheLastPart() throws Exception {
        Path data = Files.createTempDirectory("openlive-crash");
        String admin = runJson(data, "key", "create", "--role", "admin").path("key").asText();
        JsonNode room = runJson(data, "room", "create", "--title", "crash");
        String roomId = room.path("id").asText();
        int http = freePort();
        int rtmp = freePort();
        Process server = serve(data, http, rtmp);

        HttpResponse<String> set = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/api/v1/rooms/" + roomId + "/recording"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"enabled\":true}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        Process publisher = Ffmpeg.publish("rtmp://127.0.0.1:" + rtmp + "/live/" + room.path("streamKey").asText(), 60);
        processes.add(publisher);
        Path roomDir = data.resolve("recordings").resolve(roomId);
        Eventually.await("recording written", Duration.ofSeconds(30), () -> fragmentedFile(roomDir) != null);
        int lastTimestamp;
        try (FlvClient viewer = new FlvClient("http://127.0.0.1:" + http + "/live/" + roomId + ".flv")) {
            Eventually.await("7 s of show", Duration.ofSeconds(30), () -> newest(viewer) >= 7000);
            server.destroyForcibly(); // SIGKILL: no shutdown hook, no finalisation
            assertThat(server.waitFor(10, TimeUnit.SECONDS)).isTrue();
            lastTimestamp = newest(viewer);
        }
        Ffmpeg.stop(publisher);

        Path fragmented = fragmentedFile(roomDir);
        assertThat(fragmented).as("the fragmented recording is left after the kill").isNotNull();
        JsonNode probe = Mp4Probe.probe(fragmented);
        assertThat(Ffmpeg.codecs(probe)).contains("video:h264", "audio:aac");
        double recorded = Mp4Probe.videoSeconds(probe);
        double shown = lastTimestamp / 1000.0;
        System.out.printf("kill -9: recorded %.3f s, newest frame seen by a viewer at %.3f s%n", recorded, shown);
        assertThat(recorded).as("recorded %.2f s of a show whose newest frame was at %.2f s", recorded, shown)
                .isBetween(shown - ONE_PART - 0.1, shown + 0.1);

        // the next start finalises it as a faststart MP4 with the same media
        Process again = serve(data, freePort(), freePort());
        Path mp4 = fragmented.resolveSibling(fragmented.getFileName().toString().replace(".fmp4", ".mp4"));
        assertThat(mp4).exists();
        assertThat(fragmented).doesNotExist();
        assertThat(Mp4Probe.topBoxes(mp4)).containsExactly("ftyp", "moov", "mdat");
        JsonNode finalised = Mp4Probe.probe(mp4);
        assertThat(Ffmpeg.codecs(finalised)).contains("video:h264", "audio:aac");
        assertThat(Mp4Probe.videoSeconds(finalised)).isCloseTo(recorded, org.assertj.core.data.Offset.offset(0.05));
        again.destroy();
        again.waitFor(20, TimeUnit.SECONDS);
        try (Stream<Path> files = Files.walk(data)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private static int newest(FlvClient viewer) {
        int t = 0;
        for (FlvClient.Tag tag : viewer.tags) {
            t = Math.max(t, tag.timestamp());
        }
        return t;
    }

    private static Path fragmentedFile(Path dir) {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.toString().endsWith(".fmp4")).findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }
}
