package io.openlive.server;

import io.openlive.engine.room.Room;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Records what real clients send to openlive, for the replay fixtures of the protocol module
 * ({@code protocol/src/test/resources/rtmp/*.bin}, read by {@code RtmpSessionReplayTest}): a recording proxy on loopback
 * between ffmpeg (publishing) or rtmpdump (playing) and the server keeps every byte the client sent. It runs only when
 * asked: {@code -Dopenlive.capture=true}, since the fixtures are committed and must not change on every build.
 */
class RtmpSessionCapture {
    private static final Path OUT = Path.of("..", "protocol", "src", "test", "resources", "rtmp");

    @Test
    void captureFfmpegPublishAndRtmpdumpPlay() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("openlive.capture"), "capture only with -Dopenlive.capture=true");
        Files.createDirectories(OUT);
        try (ServerFixture fixture = ServerFixture.start()) {
            Room room = fixture.newRoom("capture");
            try (Recorder proxy = new Recorder(fixture.server.rtmpPort())) {
                Process ffmpeg = Ffmpeg.start(List.of(Tools.require("ffmpeg"), "-nostdin", "-loglevel", "error", "-re",
                        "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=10", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=22050",
                        "-c:v", "libx264", "-preset", "ultrafast", "-g", "10", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "32k",
                        "-t", "1.5", "-f", "flv", "rtmp://127.0.0.1:" + proxy.port() + "/live/" + room.streamKey()));
                ffmpeg.waitFor(30, TimeUnit.SECONDS);
                Files.write(OUT.resolve("ffmpeg-publish.bin"), proxy.awaitRecorded());
            }
            Process live = Ffmpeg.publish(fixture.publishUrl(room), 20);
            try {
                Eventually.await("room live", Duration.ofSeconds(15), () -> fixture.server.hub().stream(room.id())
                        .map(s -> s.isLive() && s.hasVideo()).orElse(false));
                try (Recorder proxy = new Recorder(fixture.server.rtmpPort())) {
                    Path flv = Files.createTempFile("capture", ".flv");
                    Process dump = Ffmpeg.start(List.of(Tools.require("rtmpdump"), "-q", "--live", "--stop", "2",
                            "-r", "rtmp://127.0.0.1:" + proxy.port() + "/live/" + room.id(), "-o", flv.toString()));
                    if (!dump.waitFor(20, TimeUnit.SECONDS)) {
                        dump.destroyForcibly().waitFor();
                    }
                    Files.write(OUT.resolve("rtmpdump-play.bin"), proxy.awaitRecorded());
                }
            } finally {
                live.destroyForcibly().waitFor();
            }
        }
    }

    /**
     * An OBS-like publish, not an OBS capture (OBS cannot be installed here): {@code src/test/c/obs_like_publish.c} drives
     * the system's librtmp, the library OBS's RTMP output was forked from, with the settings OBS's source sets (FMLE
     * flashVer, chunk size 4096, its onMetaData fields, media through RTMP_Write); that file names the one known
     * difference in order. Needs gcc and librtmp-dev besides ffmpeg.
     */
    @Test
    void captureLibrtmpObsLikePublish() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("openlive.capture"), "capture only with -Dopenlive.capture=true");
        Path work = Files.createTempDirectory("obs-like");
        Path client = work.resolve("obs_like_publish");
        Path flv = work.resolve("in.flv");
        Process build = Ffmpeg.start(List.of(Tools.require("gcc"), "-o", client.toString(), "src/test/c/obs_like_publish.c", "-lrtmp"));
        if (!build.waitFor(60, TimeUnit.SECONDS) || build.exitValue() != 0) {
            throw new AssertionError("building obs_like_publish failed (Debian: apt-get install gcc librtmp-dev)");
        }
        Process encode = Ffmpeg.start(List.of(Tools.require("ffmpeg"), "-nostdin", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=10", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=22050",
                "-c:v", "libx264", "-preset", "ultrafast", "-g", "10", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "32k",
                "-t", "1.5", flv.toString()));
        if (!encode.waitFor(60, TimeUnit.SECONDS) || encode.exitValue() != 0) {
            throw new AssertionError("ffmpeg could not write " + flv);
        }
        try (ServerFixture fixture = ServerFixture.start()) {
            Room room = fixture.newRoom("capture obs-like");
            try (Recorder proxy = new Recorder(fixture.server.rtmpPort())) {
                Process publish = Ffmpeg.start(List.of(client.toString(),
                        "rtmp://127.0.0.1:" + proxy.port() + "/live/" + room.streamKey(), flv.toString()));
                if (!publish.waitFor(30, TimeUnit.SECONDS) || publish.exitValue() != 0) {
                    throw new AssertionError("obs_like_publish did not publish");
                }
                Files.write(OUT.resolve("librtmp-obs-like-publish.bin"), proxy.awaitRecorded());
            }
        }
    }

    /** One client connection relayed to the server; what the client sent is kept. */
    private static final class Recorder implements AutoCloseable {
        private final ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        private final ByteArrayOutputStream recorded = new ByteArrayOutputStream();
        private final Thread relay;

        Recorder(int serverPort) throws IOException {
            relay = Thread.ofVirtual().start(() -> {
                try (Socket client = listener.accept(); Socket server = new Socket(InetAddress.getLoopbackAddress(), serverPort)) {
                    Thread back = Thread.ofVirtual().start(() -> copy(server, client, null));
                    copy(client, server, recorded);
                    server.shutdownOutput();
                    back.join(5000);
                } catch (IOException | InterruptedException e) {
                    // the session ended
                }
            });
        }

        int port() {
            return listener.getLocalPort();
        }

        byte[] awaitRecorded() throws InterruptedException {
            relay.join(10_000);
            synchronized (recorded) {
                return recorded.toByteArray();
            }
        }

        private static void copy(Socket from, Socket to, ByteArrayOutputStream keep) {
            byte[] buf = new byte[16384];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (keep != null) {
                        synchronized (keep) {
                            keep.write(buf, 0, n);
                        }
                    }
                    out.write(buf, 0, n);
                }
            } catch (IOException e) {
                // one side closed
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }
}
