package io.openlive.server.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openlive.server.Ffmpeg;
import io.openlive.server.Tools;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** ffprobe over a recording file: codecs, and the duration its video packets span. */
final class Mp4Probe {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Mp4Probe() {
    }

    static JsonNode probe(Path file) throws Exception {
        Process p = new ProcessBuilder(Tools.require("ffprobe"), "-v", "error",
                "-show_entries", "stream=codec_name,codec_type,width,height:packet=codec_type,pts_time,flags",
                "-of", "json", file.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ffprobe did not finish on " + file);
        }
        return JSON.readTree(new String(out, StandardCharsets.UTF_8));
    }

    /** Seconds from the first to the end of the last video packet (30 fps). */
    static double videoSeconds(JsonNode probe) {
        List<Double> t = Ffmpeg.times(probe, "video").stream().sorted().toList();
        return t.isEmpty() ? 0 : t.get(t.size() - 1) - t.get(0) + 1 / 30.0;
    }

    /** The types of the top-level boxes, in file order. */
    static List<String> topBoxes(Path file) throws Exception {
        byte[] b = Files.readAllBytes(file);
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        long pos = 0;
        while (pos + 8 <= b.length) {
            java.nio.ByteBuffer h = java.nio.ByteBuffer.wrap(b, (int) pos, 16);
            long size = Integer.toUnsignedLong(h.getInt());
            String type = new String(b, (int) pos + 4, 4, StandardCharsets.ISO_8859_1);
            if (size == 1) {
                size = java.nio.ByteBuffer.wrap(b, (int) pos + 8, 8).getLong();
            }
            out.add(type);
            if (size < 8) {
                break;
            }
            pos += size;
        }
        return out;
    }
}
