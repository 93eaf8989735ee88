package io.openlive.engine.commerce;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The webhook outbox: order events written in the order's own transaction ({@link Orders}), handed out for delivery
 * and retried with exponential back-off ({@link #FIRST_RETRY} doubling up to {@link #MAX_RETRY}) until the host app's
 * receiver answers 2xx. An event is leased for {@link #LEASE} while one node delivers it, so nodes polling together
 * rarely send it twice; a receiver may still see an event again (a node killed after sending, before recording it) and
 * de-duplicates by its id. Signing: {@code X-Openlive-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>}.
 * Blocks on the store. Usage: {@code for (Delivery d : webhooks.claim(50)) { send; webhooks.delivered(d) or failed(d, why) }}.
 */
public final class Webhooks {
    public static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    public static final Duration MAX_RETRY = Duration.ofHours(1);
    public static final Duration LEASE = Duration.ofSeconds(15);

    private final CommerceContext ctx;

    Webhooks(CommerceContext ctx) {
        this.ctx = ctx;
    }

    /** One attempt to deliver: the event, where to, and the secret to sign with (the app's current one). */
    public record Delivery(CommerceStore.OutboxEvent event, String url, String secret) {
    }

    /** Due events, oldest first, leased to this caller; events of apps that removed their webhook are dropped as delivered. */
    public List<Delivery> claim(int max) {
        return ctx.store().transact(tx -> {
            Instant now = ctx.now();
            List<Delivery> out = new ArrayList<>();
            for (CommerceStore.OutboxEvent e : tx.dueOutbox(now, max)) {
                if (!tx.leaseOutbox(e.id(), e.nextAttemptAt(), now.plus(LEASE))) {
                    continue;
                }
                Optional<CommerceStore.AppSettings> s = tx.appSettings(e.appId());
                if (s.isEmpty() || s.get().webhookUrl() == null) {
                    tx.outboxFailed(e.id(), e.attempts(), Instant.ofEpochMilli(Long.MAX_VALUE / 2), "the app has no webhook any more");
                    continue;
                }
                out.add(new Delivery(e, s.get().webhookUrl(), s.get().webhookSecret()));
            }
            return out;
        });
    }

    public void delivered(Delivery d) {
        ctx.store().transact(tx -> {
            tx.outboxDelivered(d.event().id(), ctx.now());
            return null;
        });
    }

    /** The attempt failed: the next one after the back-off of this attempt number. */
    public Duration failed(Delivery d, String why) {
        int attempts = d.event().attempts() + 1;
        Duration wait = backoff(attempts);
        ctx.store().transact(tx -> {
            tx.outboxFailed(d.event().id(), attempts, ctx.now().plus(wait), why);
            return null;
        });
        return wait;
    }

    static Duration backoff(int attempts) {
        int doublings = Math.min(attempts - 1, 20);
        Duration d = FIRST_RETRY.multipliedBy(1L << doublings);
        return d.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : d;
    }

    /** The signature header's value for {@code body} sent at {@code unixSeconds}. */
    public static String signature(String secret, long unixSeconds, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] sig = mac.doFinal((unixSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
            return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(sig);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
