package io.openlive.server.realtime;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A refusal thrown where a call's answer is computed ({@code order.create}'s {@code thenApply} on an order thread) reaches
 * the handler that sends the error envelope as the same object: no CompletionException is made around it on the way,
 * and it carries no stack trace, so a flash sale's thousands of {@code sold_out} answers take none.
 */
class RefusalTest {
    @Test
    void aRefusalPassesThroughFutureStagesUnwrappedAndWithoutAStackTrace() {
        RealtimeMethods.Refusal refusal = new RealtimeMethods.Refusal("sold_out", "sold out");
        CompletableFuture<String> outcome = new CompletableFuture<>();
        AtomicReference<Throwable> seen = new AtomicReference<>();
        CompletableFuture<String> after = outcome.<String>thenApply(o -> {
            throw refusal;
        }).whenComplete((r, e) -> seen.set(e));
        outcome.complete("refused");
        assertThat(seen.get()).isSameAs(refusal);
        assertThat(after.exceptionNow()).isSameAs(refusal);
        assertThat(refusal.getStackTrace()).isEmpty();
        assertThat(refusal.code).isEqualTo("sold_out");
        assertThat(refusal.getMessage()).isEqualTo("sold out");
    }
}
