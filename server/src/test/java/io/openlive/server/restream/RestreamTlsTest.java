package io.openlive.server.restream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openlive.engine.room.Room;
import io.openlive.server.Eventually;
import io.openlive.server.Ffmpeg;
import io.openlive.server.KeyedRequests;
import io.openlive.server.ServerFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RTMPS restreams to a real TLS ingest: nginx's stream module terminates TLS with a self-signed certificate made here
 * and proxies to nginx-rtmp. openlive trusts that certificate only because it is in its {@code --restream-trust} file
 * ({@link RestreamConfig}); ffprobe reads the stream back from nginx-rtmp. An ingest whose certificate is in no trust
 * store is that destination's clear error, retried, while the room plays on and its other destination pushes; so is a
 * trusted certificate reached under a host name it does not name.
 */
class RestreamTlsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path certificates;
    private static SelfSignedCertificate trusted;
    private static SelfSignedCertificate stranger;
    private static ServerFixture fixture;
    private static String admin;

    @BeforeAll
    static void start() throws Exception {
        certificates = Files.createTempDirectory("openlive-rtmps");
        trusted = new SelfSignedCertificate(certificates, "trusted-ingest");
        stranger = new SelfSignedCertificate(certificates, "unknown-ingest");
        fixture = ServerFixture.start(c -> c.withRestream(new RestreamConfig(trusted.cert)));
        admin = fixture.server.platform().keys().bootstrapAdmin().orElseThrow();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
        try (var files = Files.walk(certificates)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private static JsonNode get(String url) {
        try {
            return JSON.readTree(KeyedRequests.send("GET", url, admin, null).body());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String add(String api, String url, String key) throws Exception {
        var made = KeyedRequests.send("POST", api, admin, "{\"url\":\"" + url + "\",\"key\":\"" + key + "\"}");
        assertThat(made.statusCode()).as(new String(made.body())).isEqualTo(201);
        return api + "/" + JSON.readTree(made.body()).path("id").asText();
    }

    @Test
    void roomIsPushedOverTlsToAnIngestWhoseCertificateIsInTheTrustFile() throws Exception {
        try (NginxRtmp nginx = new NginxRtmp(trusted)) {
            Room room = fixture.newRoom("rtmps");
            String key = "tls" + Long.toHexString(System.nanoTime());
            String one = add(fixture.http("/api/v1/rooms/" + room.id() + "/restreams"), nginx.rtmpsUrl(), key);
            Process publisher = Ffmpeg.publish(fixture.publishUrl(room), 30);
            try {
                Eventually.await("pushing over TLS", Duration.ofSeconds(30), () -> get(one).path("state").asText().equals("connected")
                        && nginx.callbacks.contains("publish name=" + key));
                JsonNode probe = Ffmpeg.probe(nginx.playUrl(key), 2);
                assertThat(Ffmpeg.codecs(probe)).as("both tracks, through TLS and back from nginx-rtmp").contains("video:h264", "audio:aac");
                assertThat(get(one).path("lastError").isNull()).as("%s", get(one)).isTrue();
            } finally {
                publisher.destroy();
                publisher.waitFor(10, TimeUnit.SECONDS);
            }
            Eventually.await("unpublished through TLS at the end", Duration.ofSeconds(15),
                    () -> nginx.callbacks.contains("publish_done name=" + key) && get(one).path("state").asText().equals("stopped"));
        }
    }

    @Test
    void anIngestWhoseCertificateDoesNotVerifyIsThatDestinationsErrorAndTheRoomPlaysOn() throws Exception {
        try (NginxRtmp unknown = new NginxRtmp(stranger); NginxRtmp plain = new NginxRtmp()) {
            Room room = fixture.newRoom("rtmps unknown");
            String api = fixture.http("/api/v1/rooms/" + room.id() + "/restreams");
            String bad = add(api, unknown.rtmpsUrl(), "badkey" + Long.toHexString(System.nanoTime()));
            String goodKey = "plain" + Long.toHexString(System.nanoTime());
            String good = add(api, "rtmp://127.0.0.1:" + plain.port + "/live", goodKey);
            Process publisher = Ffmpeg.publish(fixture.publishUrl(room), 30);
            try {
                Eventually.await("the certificate refused, retried", Duration.ofSeconds(30), () -> {
                    JsonNode s = get(bad);
                    return s.path("reconnects").asLong() >= 2 && s.path("lastError").asText().contains("certificate");
                });
                JsonNode s = get(bad);
                assertThat(s.path("state").asText()).isNotEqualTo("connected");
                assertThat(unknown.callbacks).as("nothing reached the untrusted ingest's RTMP side").isEmpty();
                Eventually.await("the other destination pushes", Duration.ofSeconds(20), () -> get(good).path("state").asText().equals("connected"));
                JsonNode viewer = Ffmpeg.probe(fixture.httpFlvUrl(room), 3);
                List<Double> video = Ffmpeg.times(viewer, "video");
                assertThat(video.get(video.size() - 1) - video.get(0)).as("a viewer gets the show in real time").isGreaterThan(2.0);
                assertThat(Ffmpeg.codecs(Ffmpeg.probe(plain.playUrl(goodKey), 2))).contains("video:h264", "audio:aac");
            } finally {
                publisher.destroy();
                publisher.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aTrustedCertificateForAnotherHostDoesNotVerify() throws Exception {
        try (NginxRtmp nginx = new NginxRtmp(trusted)) {
            Room room = fixture.newRoom("rtmps wrong host");
            // the certificate names IP 127.0.0.1 only; the URL names the host "localhost", which resolves to the same ingest
            String one = add(fixture.http("/api/v1/rooms/" + room.id() + "/restreams"), "rtmps://localhost:" + nginx.tlsPort + "/live",
                    "host" + Long.toHexString(System.nanoTime()));
            Process publisher = Ffmpeg.publish(fixture.publishUrl(room), 30);
            try {
                Eventually.await("the host name refused", Duration.ofSeconds(30),
                        () -> get(one).path("lastError").asText().contains("certificate does not verify"));
                assertThat(get(one).path("lastError").asText()).contains("localhost");
                assertThat(nginx.callbacks).isEmpty();
            } finally {
                publisher.destroy();
                publisher.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aTrustFileWithoutCertificatesStopsTheServerAtStart() throws Exception {
        Path empty = Files.writeString(certificates.resolve("empty.pem"), "no certificate here\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ServerFixture.start(c -> c.withRestream(new RestreamConfig(empty))))
                .hasStackTraceContaining("--restream-trust");
    }
}
