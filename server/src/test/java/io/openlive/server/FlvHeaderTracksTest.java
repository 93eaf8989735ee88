package io.openlive.server;

import io.openlive.engine.room.Room;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** HTTP-FLV's header announces the tracks the room has (FLV 1.0 E.2 TypeFlags): audio-only and video-only rooms too. */
class FlvHeaderTracksTest {
    @ParameterizedTest
    @CsvSource({"audio-only, 4", "video-only, 1", "both, 5"})
    void theFlvHeaderAnnouncesOnlyTheTracksPublished(String kind, int flags) throws Exception {
        try (ServerFixture fixture = ServerFixture.start()) {
            Room room = fixture.newRoom(kind);
            List<String> command = new ArrayList<>(List.of(Tools.require("ffmpeg"), "-nostdin", "-loglevel", "error", "-re"));
            if (!kind.equals("audio-only")) {
                command.addAll(List.of("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25"));
            }
            if (!kind.equals("video-only")) {
                command.addAll(List.of("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100"));
            }
            if (!kind.equals("audio-only")) {
                command.addAll(List.of("-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p"));
            }
            if (!kind.equals("video-only")) {
                command.addAll(List.of("-c:a", "aac"));
            }
            command.addAll(List.of("-t", "30", "-f", "flv", fixture.publishUrl(room)));
            Process ffmpeg = Ffmpeg.start(command);
            try {
                Eventually.await("room live", Duration.ofSeconds(15), () -> fixture.server.hub().stream(room.id())
                        .map(s -> s.isLive() && (s.hasAudio() || s.hasVideo())).orElse(false));
                HttpResponse<InputStream> response = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create(fixture.httpFlvUrl(room))).build(), HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream body = response.body()) {
                    byte[] header = body.readNBytes(9);
                    assertThat(new String(header, 0, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("FLV");
                    assertThat(header[4] & 0xFF).as("TypeFlags of a %s room", kind).isEqualTo(flags);
                }
            } finally {
                ffmpeg.destroyForcibly().waitFor();
            }
        }
    }
}
