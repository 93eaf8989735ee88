package io.openlive.server;

import io.openlive.engine.room.Room;
import io.openlive.engine.stream.StreamConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/** A real openlive node on loopback with ephemeral ports and its own data directory. */
public final class ServerFixture implements AutoCloseable {
    public final OpenliveServer server;
    public final Path dataDir;

    private ServerFixture(OpenliveServer server, Path dataDir) {
        this.server = server;
        this.dataDir = dataDir;
    }

    public static ServerFixture start() throws Exception {
        return start(StreamConfig.defaults());
    }

    public static ServerFixture start(StreamConfig stream) throws Exception {
        return start(config -> config.withStream(stream));
    }

    /** A node whose test configuration ({@link ServerConfig#ephemeral}) is changed by {@code tune}. */
    public static ServerFixture start(UnaryOperator<ServerConfig> tune) throws Exception {
        Path dir = Files.createTempDirectory("openlive-test");
        OpenliveServer server = OpenliveServer.start(tune.apply(ServerConfig.ephemeral(dir))).await();
        return new ServerFixture(server, dir);
    }

    /** A node with a tuned test configuration and its own HLS settings. */
    public static ServerFixture start(UnaryOperator<ServerConfig> tune, io.openlive.engine.hls.HlsConfig hls) throws Exception {
        Path dir = Files.createTempDirectory("openlive-test");
        OpenliveServer server = OpenliveServer.start(tune.apply(ServerConfig.ephemeral(dir)), hls).await();
        return new ServerFixture(server, dir);
    }

    public String hlsUrl(Room room) {
        return "http://127.0.0.1:" + server.httpPort() + "/live/" + room.id() + ".m3u8";
    }

    public Room newRoom(String title) {
        return server.rooms().create(title);
    }

    public String publishUrl(Room room) {
        return "rtmp://127.0.0.1:" + server.rtmpPort() + "/live/" + room.streamKey();
    }

    public String httpFlvUrl(Room room) {
        return "http://127.0.0.1:" + server.httpPort() + "/live/" + room.id() + ".flv";
    }

    public String wsFlvUrl(Room room) {
        return "ws://127.0.0.1:" + server.httpPort() + "/live/" + room.id() + ".flv";
    }

    public String rtmpPlayUrl(Room room) {
        return "rtmp://127.0.0.1:" + server.rtmpPort() + "/live/" + room.id();
    }

    public String http(String path) {
        return "http://127.0.0.1:" + server.httpPort() + path;
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
