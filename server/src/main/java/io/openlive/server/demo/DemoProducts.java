package io.openlive.server.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openlive.engine.commerce.Commerce;
import io.openlive.engine.commerce.Product;
import io.openlive.engine.platform.Principal;
import io.openlive.engine.platform.Role;

import java.util.List;

/**
 * The demo room's products: three real products of the Demo Shop, attached to the demo room with the first one pinned,
 * so the product card has something to show and its buy button places a real order (with real stock) from the first
 * run. Made once: a demo room with a pinned product is left as it is, so a broadcaster's own pins survive a restart.
 * Blocks on the store. Usage: {@code DemoProducts.ensure(commerce, ids);}
 */
final class DemoProducts {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Principal ADMIN = new Principal("demo", Role.ADMIN, null);

    /** Title, price in cents, units in stock; per viewer at most two of each. */
    private record Item(String title, long cents, int stock) {
    }

    private static final List<Item> ITEMS = List.of(
            new Item("Trail runner, size 42", 8900, 100),
            new Item("Merino running socks", 1490, 500),
            new Item("Insulated bottle, 750 ml", 2450, 200));

    private DemoProducts() {
    }

    /** Creates, attaches and pins the demo products unless the demo room already has a pinned product. */
    static void ensure(Commerce commerce, DemoApps.Ids ids) {
        if (!commerce.products().current(ids.room()).path("product").isNull()) {
            return;
        }
        String first = null;
        for (Item item : ITEMS) {
            ObjectNode body = JSON.createObjectNode().put("appId", ids.shop()).put("title", item.title())
                    .put("price", item.cents()).put("currency", "EUR").put("stock", item.stock()).put("perViewerLimit", 2);
            Product p = commerce.products().create(ADMIN, body);
            commerce.products().attach(ADMIN, ids.room(), p.id());
            first = first == null ? p.id() : first;
        }
        commerce.products().pin(ADMIN, ids.room(), first);
    }
}
