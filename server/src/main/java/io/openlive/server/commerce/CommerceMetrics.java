package io.openlive.server.commerce;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.openlive.engine.commerce.Commerce;
import io.openlive.engine.commerce.OrderDesk;

/**
 * Commerce on {@code /metrics}, with labels from fixed sets only (never a room, app or product id):
 * {@code openlive_orders_total{result}} for every order answer and {@code openlive_orders_waiting} for the desk's queue.
 * Per room and app figures are in {@code GET /api/v1/rooms/{roomId}/stats}.
 */
public final class CommerceMetrics {
    private CommerceMetrics() {
    }

    public static void register(MeterRegistry registry, Commerce commerce) {
        OrderDesk desk = commerce.desk();
        for (String result : OrderDesk.RESULTS) {
            FunctionCounter.builder("openlive_orders", desk, d -> d.answered(result)).tag("result", result)
                    .description("order.create answers by result on this node").register(registry);
        }
        Gauge.builder("openlive_orders_waiting", desk, OrderDesk::waiting).description("Orders waiting for the database on this node")
                .register(registry);
    }
}
