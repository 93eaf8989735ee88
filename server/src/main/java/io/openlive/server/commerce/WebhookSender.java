package io.openlive.server.commerce;

import io.openlive.engine.commerce.Webhooks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Delivers the webhook outbox of this node's store: every {@link #POLL} it claims due events and POSTs each to its host
 * app's URL with {@code X-Openlive-Event} (the event id, also in the body), {@code X-Openlive-Event-Type} and
 * {@code X-Openlive-Signature}; a 2xx within {@link #TIMEOUT} marks it delivered, anything else schedules a retry.
 * Runs on a thread of its own (blocking JDBC and HTTP), never on an event loop. One line per failed attempt.
 */
public final class WebhookSender implements AutoCloseable {
    static final Duration POLL = Duration.ofMillis(500);
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final int BATCH = 50;
    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);

    private final Webhooks webhooks;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "openlive-webhooks");
        t.setDaemon(true);
        return t;
    });

    public WebhookSender(Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    public WebhookSender start() {
        thread.scheduleWithFixedDelay(this::poll, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void poll() {
        try {
            List<Webhooks.Delivery> due;
            do {
                due = webhooks.claim(BATCH);
                for (Webhooks.Delivery d : due) {
                    send(d);
                }
            } while (due.size() == BATCH && !thread.isShutdown());
        } catch (RuntimeException e) {
            log.warn("[webhooks] outbox not read: {}", e.toString());
        }
    }

    private void send(Webhooks.Delivery d) {
        String body = d.event().body();
        long now = System.currentTimeMillis() / 1000;
        String failure;
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(d.url())).timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "openlive-webhooks")
                    .header("X-Openlive-Event", d.event().id())
                    .header("X-Openlive-Event-Type", d.event().type())
                    .header("X-Openlive-Signature", Webhooks.signature(d.secret(), now, body))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() / 100 == 2) {
                webhooks.delivered(d);
                return;
            }
            failure = "HTTP " + r.statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return; // shutting down: the lease lapses and the event is sent again later
        } catch (Exception e) {
            failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        Duration wait = webhooks.failed(d, failure);
        log.info("[webhooks app={} event={}] attempt {} failed: {}; next in {} s", d.event().appId(), d.event().id(),
                d.event().attempts() + 1, failure, wait.toSeconds());
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
