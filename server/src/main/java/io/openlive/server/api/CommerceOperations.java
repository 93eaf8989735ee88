package io.openlive.server.api;

import io.openlive.engine.commerce.Commerce;

import java.util.Map;
import java.util.function.Consumer;

import static io.openlive.server.api.ApiOperation.Body.JSON;
import static io.openlive.server.api.ApiOperation.Body.NONE;
import static io.openlive.server.api.ApiOperation.Result.created;
import static io.openlive.server.api.ApiOperation.Result.ok;

/**
 * The REST operations of commerce and room statistics (documented in {@code openapi.yaml}): products, room products and
 * pins, orders, app settings, sales reported by host apps, and a room's statistics.
 */
final class CommerceOperations {
    private CommerceOperations() {
    }

    static void register(io.openlive.engine.platform.Platform platform, Commerce commerce, io.openlive.engine.analytics.RoomStats stats,
                         Consumer<ApiOperation> add) {
        var products = commerce.products();
        var orders = commerce.orders();
        var carts = commerce.carts();
        add.accept(op("product.create", "POST", "/products", JSON, c -> created(products.create(c.principal(), c.json()))));
        add.accept(op("product.get", "GET", "/products/{productId}", NONE, c -> ok(products.get(c.principal(), c.param("productId")))));
        add.accept(op("product.update", "PATCH", "/products/{productId}", JSON,
                c -> ok(commerce.updateProduct(c.principal(), c.param("productId"), c.json()))));
        add.accept(op("room.product.attach", "POST", "/rooms/{roomId}/products", JSON,
                c -> ok(Map.of("items", products.attach(c.principal(), c.param("roomId"), c.text("productId"))))));
        add.accept(op("room.pin", "POST", "/rooms/{roomId}/pin", JSON,
                c -> ok(products.pin(c.principal(), c.param("roomId"), c.text("productId")))));
        add.accept(op("room.orders", "GET", "/rooms/{roomId}/orders", NONE, c -> ok(orders.page(c.principal(), c.param("roomId"), c.page()))));
        add.accept(op("order.get", "GET", "/orders/{orderId}", NONE, c -> ok(orders.get(c.principal(), c.param("orderId")))));
        add.accept(op("order.paid", "POST", "/orders/{orderId}/paid", NONE, c -> ok(orders.paid(c.principal(), c.param("orderId")))));
        add.accept(op("order.cancel", "POST", "/orders/{orderId}/cancel", NONE, c -> ok(commerce.cancel(c.principal(), c.param("orderId")))));
        add.accept(op("app.commerce.get", "GET", "/apps/{appId}/commerce", NONE, c -> ok(carts.settings(c.principal(), c.param("appId")))));
        add.accept(op("app.commerce.update", "PUT", "/apps/{appId}/commerce", JSON,
                c -> ok(carts.putSettings(c.principal(), c.param("appId"), c.json()))));
        add.accept(op("room.sales.report", "POST", "/rooms/{roomId}/apps/{appId}/sales", JSON,
                c -> created(stats.reportSale(c.principal(), c.param("roomId"), c.param("appId"), c.json()))));
        add.accept(op("room.stats", "GET", "/rooms/{roomId}/stats", NONE, c -> ok(stats.report(c.principal(), c.param("roomId"),
                c.query().get("from"), c.query().get("to"), c.query().get("step")))));
        add.accept(op("version.stats", "GET", "/versions/{versionId}/stats", NONE, c -> {
            platform.versions().get(c.principal(), c.param("versionId")); // 404 unless the caller may see the version
            return ok(stats.component(c.principal(), c.param("versionId")));
        }));
    }

    private static ApiOperation op(String name, String method, String path, ApiOperation.Body body, ApiOperation.Handler handler) {
        return new ApiOperation(name, method, path, body, true, handler);
    }
}
