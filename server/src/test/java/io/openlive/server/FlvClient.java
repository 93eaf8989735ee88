package io.openlive.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.openlive.kernel.flv.FlvReader;
import io.openlive.kernel.flv.FlvTag;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An HTTP-FLV viewer in a thread: records every tag's type, timestamp and first body bytes, and whether it ended. */
public final class FlvClient implements AutoCloseable {
    public record Tag(int type, int timestamp, int firstByte, int secondByte, long receivedNanos, byte[] body) {
    }

    public final List<Tag> tags = new CopyOnWriteArrayList<>();
    public volatile boolean ended;
    public volatile int status;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final InputStream body;
    private final Thread thread;

    public FlvClient(String url) throws Exception {
        HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        status = response.statusCode();
        body = response.body();
        thread = Thread.ofVirtual().start(this::read);
    }

    private void read() {
        FlvReader reader = new FlvReader();
        ByteBuf acc = Unpooled.buffer();
        byte[] chunk = new byte[65536];
        try (InputStream in = body) {
            int n;
            while ((n = in.read(chunk)) > 0) {
                acc.writeBytes(chunk, 0, n);
                reader.feed(acc, this::record);
                acc.discardReadBytes();
            }
        } catch (Exception e) {
            // connection closed or reset: recorded as ended
        } finally {
            acc.release();
            ended = true;
        }
    }

    private void record(FlvTag t) {
        ByteBuf d = t.data();
        byte[] body = new byte[d.readableBytes()];
        d.getBytes(d.readerIndex(), body);
        tags.add(new Tag(t.type(), t.timestamp(), body.length > 0 ? body[0] & 0xFF : -1, body.length > 1 ? body[1] & 0xFF : -1,
                System.nanoTime(), body));
        d.release();
    }

    /** The tags but the {@code onOpenliveClock} script tag every FLV viewer gets before its first media tag. */
    public List<Tag> media() {
        return tags.stream().filter(t -> !(t.type() == 18 && new String(t.body(), java.nio.charset.StandardCharsets.ISO_8859_1)
                .startsWith("\u0002\u0000\u000fonOpenliveClock"))).toList();
    }

    public long count(int type) {
        return tags.stream().filter(t -> t.type() == type).count();
    }

    @Override
    public void close() throws Exception {
        body.close(); // cancels the exchange and closes the connection
        thread.join(5000);
    }
}
