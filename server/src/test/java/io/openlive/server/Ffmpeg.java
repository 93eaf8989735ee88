package io.openlive.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Drives the real ffmpeg, ffprobe and rtmpdump binaries. */
public final class Ffmpeg {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Ffmpeg() {
    }

    /** A generated 720p30 H.264 + AAC stream at about 2.5 Mb/s, sent in real time for at most {@code seconds}. */
    public static Process publish(String url, int seconds) throws IOException {
        return start(List.of(Tools.require("ffmpeg"), "-nostdin", "-loglevel", "error", "-re",
                "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
                "-g", "30", "-b:v", "2500k", "-maxrate", "2500k", "-bufsize", "2500k",
                "-c:a", "aac", "-b:a", "96k", "-t", String.valueOf(seconds), "-f", "flv", url));
    }

    /**
     * The ffmpeg path, once it is known to have {@code encoder} (as {@code ffmpeg -encoders} lists it). A missing
     * encoder skips the test on a developer machine and fails it in CI, as a missing tool does ({@link Tools}).
     */
    public static String requireEncoder(String encoder) throws IOException, InterruptedException {
        String ffmpeg = Tools.require("ffmpeg");
        Process p = new ProcessBuilder(ffmpeg, "-hide_banner", "-encoders").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String list;
        try (InputStream in = p.getInputStream()) {
            list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        p.waitFor(30, TimeUnit.SECONDS);
        if (list.lines().noneMatch(l -> l.contains(" " + encoder + " "))) {
            String message = "ffmpeg has no " + encoder + " encoder (Debian: apt-get install ffmpeg)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(message);
            }
            org.junit.jupiter.api.Assumptions.abort(message);
        }
        return ffmpeg;
    }

    public static Process start(List<String> command) throws IOException {
        Path log = Files.createTempFile("openlive-peer", ".log");
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    public static String output(Process p) {
        return p.info().command().orElse("?");
    }

    /** ffprobe's JSON for the first {@code seconds} of a stream: streams and packets. */
    public static JsonNode probe(String url, double seconds) throws Exception {
        return probe(List.of(Tools.require("ffprobe"), "-v", "error", "-rw_timeout", "10000000",
                "-show_entries", "stream=codec_name,codec_type,width,height:packet=codec_type,pts_time,flags",
                "-read_intervals", "%+" + seconds, "-of", "json", url), null);
    }

    /** ffprobe reading FLV from its standard input, fed by {@code feeder}. */
    public static JsonNode probeStdin(java.util.function.Consumer<java.io.OutputStream> feeder) throws Exception {
        return probe(List.of(Tools.require("ffprobe"), "-v", "error", "-f", "flv",
                "-show_entries", "stream=codec_name,codec_type,width,height:packet=codec_type,pts_time,flags",
                "-of", "json", "-i", "pipe:0"), feeder);
    }

    private static JsonNode probe(List<String> command, java.util.function.Consumer<java.io.OutputStream> feeder) throws Exception {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Thread feeding = null;
        if (feeder != null) {
            feeding = Thread.ofVirtual().start(() -> {
                try (var in = p.getOutputStream()) {
                    feeder.accept(in);
                } catch (IOException ignored) {
                    // ffprobe closed its input
                }
            });
        }
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ffprobe did not finish: " + command);
        }
        if (feeding != null) {
            feeding.join(5000);
        }
        return JSON.readTree(new String(out, StandardCharsets.UTF_8));
    }

    public static List<String> codecs(JsonNode probe) {
        List<String> codecs = new ArrayList<>();
        probe.path("streams").forEach(s -> codecs.add(s.path("codec_type").asText() + ":" + s.path("codec_name").asText()));
        return codecs;
    }

    /** Presentation times of packets of one type, in seconds, in arrival order. */
    public static List<Double> times(JsonNode probe, String type) {
        List<Double> times = new ArrayList<>();
        probe.path("packets").forEach(p -> {
            if (type.equals(p.path("codec_type").asText()) && p.has("pts_time")) {
                times.add(p.path("pts_time").asDouble());
            }
        });
        return times;
    }

    public static void stop(Process p) throws InterruptedException {
        if (p != null && p.isAlive()) {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
