package io.openlive.server.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.openlive.server.internal.NettyAccess;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP listener's door. A connection must finish its first request head within {@link HttpLimits#headDeadline()}
 * (a client trickling a partial head is closed whatever it sends); between requests a keep-alive connection is closed
 * after {@link HttpLimits#idleTimeout()}; one remote address holds at most {@link HttpLimits#maxConnectionsPerAddress()}
 * connections (more are closed at accept, counted and logged once per address per interval).
 *
 * <p>Why a timer per connection and not the listener's idle time-out: a channel-wide idle handler would also cut a
 * WebSocket whose client only pings now and then, and a viewer of a room whose publisher is between reconnects. Here a
 * connection has no deadline while a request is in progress (an HTTP-FLV response lasts as long as the viewer watches)
 * and none once it is a WebSocket ({@code /rt} has its own ping and stuck rules, PROTOCOL.md). A partial head of a
 * second keep-alive request is bounded by the idle time-out. Usage: {@code new HttpDoor(vertx, limits, registry, "http").attach(server, router)}.
 */
public final class HttpDoor {
    private static final Logger log = LoggerFactory.getLogger(HttpDoor.class);

    /** One connection's state; touched only on its event loop. */
    private static final class Entry {
        final String address;
        long timer = -1;
        int inFlight;
        boolean upgraded;

        Entry(String address) {
            this.address = address;
        }
    }

    private final Vertx vertx;
    private final HttpLimits limits;
    private final String name;
    /** By Netty channel, not Vert.x connection: an upgraded /rt socket leaves Vert.x's objects behind, and so must this. */
    private final ConcurrentHashMap<Channel, Entry> open = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final AddressRefusals refusals;
    private final Counter headClosed;
    private final Counter idleClosed;

    public HttpDoor(Vertx vertx, HttpLimits limits, MeterRegistry registry, String name) {
        this.vertx = vertx;
        this.limits = limits;
        this.name = name;
        this.refusals = new AddressRefusals(registry, name + "_connections_per_address",
                "over " + limits.maxConnectionsPerAddress() + " open connections from one address");
        this.headClosed = Counter.builder("openlive_http_closed_total").tag("listener", name).tag("reason", "head_deadline")
                .description("HTTP connections closed by the door's deadlines").register(registry);
        this.idleClosed = Counter.builder("openlive_http_closed_total").tag("listener", name).tag("reason", "idle")
                .description("HTTP connections closed by the door's deadlines").register(registry);
    }

    /** Sets the server's connection and request handlers; requests go on to {@code next}. */
    public HttpServer attach(HttpServer server, Handler<HttpServerRequest> next) {
        server.connectionHandler(this::accept);
        return server.requestHandler(request -> {
            Entry e = open.get(NettyAccess.of(request).channel());
            if (e != null) {
                started(e, request);
            }
            next.handle(request);
        });
    }

    /** Open connections now (for tests and metrics). */
    public int connections() {
        return open.size();
    }

    private void accept(HttpConnection connection) {
        String address = connection.remoteAddress() == null ? "?" : connection.remoteAddress().hostAddress();
        Channel channel = NettyAccess.channel(connection);
        AtomicInteger n = perAddress.computeIfAbsent(address, k -> new AtomicInteger());
        if (n.incrementAndGet() > limits.maxConnectionsPerAddress() && limits.maxConnectionsPerAddress() > 0) {
            release(address);
            refusals.refuse(address, "[http " + name + "]");
            channel.close();
            return;
        }
        Entry e = new Entry(address);
        open.put(channel, e);
        channel.closeFuture().addListener(f -> {
            if (open.remove(channel) != null) {
                release(address);
                vertx.cancelTimer(e.timer);
            }
        });
        arm(channel, e, limits.headDeadline().toMillis(), headClosed);
    }

    private void started(Entry e, HttpServerRequest request) {
        vertx.cancelTimer(e.timer);
        e.timer = -1;
        e.inFlight++;
        if ("websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            e.upgraded = true;
        }
        Channel channel = NettyAccess.of(request).channel();
        request.response().endHandler(v -> {
            if (request.response().getStatusCode() >= 400) {
                e.upgraded = false; // a refused upgrade (400, 429) leaves a plain keep-alive connection
            }
            finished(channel, e);
        });
    }

    private void finished(Channel channel, Entry e) {
        e.inFlight--;
        if (e.inFlight <= 0 && !e.upgraded && open.containsKey(channel)) {
            arm(channel, e, limits.idleTimeout().toMillis(), idleClosed);
        }
    }

    private void arm(Channel channel, Entry e, long millis, Counter reason) {
        e.timer = vertx.setTimer(millis, id -> {
            if (e.timer == id && e.inFlight <= 0 && open.containsKey(channel)) {
                reason.increment();
                log.debug("[http {} {}] closed: {}", name, e.address, reason == headClosed ? "no request head in time" : "idle");
                channel.close();
            }
        });
    }

    private void release(String address) {
        perAddress.computeIfPresent(address, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
    }
}
