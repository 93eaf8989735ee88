package io.openlive.engine.commerce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openlive.engine.platform.Ids;
import io.openlive.engine.platform.PlatformException;
import io.openlive.engine.platform.Principal;
import io.openlive.engine.platform.Role;

import java.util.Optional;

/**
 * Viewers' carts (per host app, viewer and room, at most {@link #MAX_ITEMS} products) and each host app's commerce
 * settings: {@code hostCart} (the app keeps its own cart: {@code cart.add} answers {@code {hostCart:true}} and stores
 * nothing, the host page takes it from there) and its webhook URL and secret. Blocks on the store.
 */
public final class Carts {
    static final int MAX_ITEMS = 50;
    private final CommerceContext ctx;

    Carts(CommerceContext ctx) {
        this.ctx = ctx;
    }

    /** What a refused cart call answers on the realtime channel. */
    public static final class Refused extends RuntimeException {
        private final String code;

        public Refused(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    public JsonNode add(String appId, String viewerId, String roomId, String productId, int quantity) {
        return ctx.store().transact(tx -> {
            if (tx.appSettings(appId).map(CommerceStore.AppSettings::hostCart).orElse(false)) {
                ObjectNode n = CommerceContext.JSON.createObjectNode().put("hostCart", true);
                n.put("productId", productId).put("quantity", quantity);
                return n;
            }
            Product p = onSale(tx, appId, roomId, productId);
            int have = tx.cart(appId, viewerId, roomId).stream().filter(i -> i.productId().equals(productId))
                    .mapToInt(CommerceStore.CartItem::quantity).sum();
            if (have == 0 && tx.cart(appId, viewerId, roomId).size() >= MAX_ITEMS) {
                throw new Refused("bad_params", "a cart holds at most " + MAX_ITEMS + " products");
            }
            int total = Math.min(ProductFields.MAX_QUANTITY, have + quantity);
            if (p.perViewerLimit() != null && total > p.perViewerLimit()) {
                throw new Refused(CommerceCodes.LIMIT_REACHED, "at most " + p.perViewerLimit() + " per viewer");
            }
            tx.putCart(appId, viewerId, roomId, productId, total, ctx.now());
            return view(tx, appId, viewerId, roomId);
        });
    }

    public JsonNode get(String appId, String viewerId, String roomId) {
        return ctx.store().transact(tx -> view(tx, appId, viewerId, roomId));
    }

    public JsonNode remove(String appId, String viewerId, String roomId, String productId) {
        return ctx.store().transact(tx -> {
            tx.removeCart(appId, viewerId, roomId, productId);
            return view(tx, appId, viewerId, roomId);
        });
    }

    private static Product onSale(CommerceStore.Tx tx, String appId, String roomId, String productId) {
        Optional<Product> p = tx.attached(roomId, productId) ? tx.findProduct(productId) : Optional.empty();
        if (p.isEmpty() || !p.get().active() || (p.get().owner().isApp() && !p.get().owner().id().equals(appId))) {
            throw new Refused(CommerceCodes.UNAVAILABLE, "product " + productId + " is not on sale in this room");
        }
        return p.get();
    }

    private static JsonNode view(CommerceStore.Tx tx, String appId, String viewerId, String roomId) {
        ObjectNode n = CommerceContext.JSON.createObjectNode();
        ArrayNode items = n.putArray("items");
        for (CommerceStore.CartItem i : tx.cart(appId, viewerId, roomId)) {
            ObjectNode item = items.addObject().put("productId", i.productId()).put("quantity", i.quantity());
            tx.findProduct(i.productId()).ifPresent(p -> item.put("title", p.title()).put("price", p.price())
                    .put("currency", p.currency()).put("amount", p.price() * i.quantity()));
        }
        return n;
    }

    /** A host app's settings as its operator sees them (never the webhook secret). */
    public JsonNode settings(Principal p, String appId) {
        operator(p, appId);
        return ctx.store().transact(tx -> settingsView(tx.appSettings(appId).orElse(new CommerceStore.AppSettings(appId, false, null, null, null)), null));
    }

    /**
     * Changes {@code hostCart} and {@code webhookUrl}; a new webhook URL (or {@code rotateSecret:true}) makes a new
     * secret, answered once in {@code webhookSecret}.
     */
    public JsonNode putSettings(Principal p, String appId, JsonNode body) {
        operator(p, appId);
        JsonNode hostCart = body.get("hostCart");
        if (hostCart != null && !hostCart.isBoolean()) {
            throw PlatformException.invalid("INVALID_BODY", "hostCart must be true or false");
        }
        JsonNode url = body.get("webhookUrl");
        if (url != null && !url.isNull() && !(url.isTextual() && validUrl(url.asText()))) {
            throw PlatformException.invalid("INVALID_WEBHOOK_URL", "webhookUrl must be an http(s) URL of at most 2048 characters, or null");
        }
        return ctx.store().transact(tx -> {
            CommerceStore.AppSettings before = tx.appSettings(appId).orElse(new CommerceStore.AppSettings(appId, false, null, null, null));
            String newUrl = url == null ? before.webhookUrl() : url.isNull() ? null : url.asText();
            boolean rotate = newUrl != null && (!newUrl.equals(before.webhookUrl()) || body.path("rotateSecret").asBoolean(false)
                    || before.webhookSecret() == null);
            String secret = newUrl == null ? null : rotate ? Ids.newSecret("whsec") : before.webhookSecret();
            CommerceStore.AppSettings after = new CommerceStore.AppSettings(appId,
                    hostCart == null ? before.hostCart() : hostCart.asBoolean(), newUrl, secret, ctx.now());
            tx.putAppSettings(after);
            ctx.audit(tx, p, "app.commerce", "app", appId, settingsView(before, null), settingsView(after, null));
            return settingsView(after, rotate ? secret : null);
        });
    }

    private static JsonNode settingsView(CommerceStore.AppSettings s, String shownSecret) {
        ObjectNode n = CommerceContext.JSON.createObjectNode().put("appId", s.appId()).put("hostCart", s.hostCart())
                .put("webhookUrl", s.webhookUrl());
        if (shownSecret != null) {
            n.put("webhookSecret", shownSecret);
        }
        return n;
    }

    private static boolean validUrl(String s) {
        return s.length() <= 2048 && (s.startsWith("http://") || s.startsWith("https://")) && s.chars().noneMatch(c -> c < 0x21);
    }

    private static void operator(Principal p, String appId) {
        if (appId == null || !p.actsFor(Role.APP_OPERATOR, appId)) {
            throw PlatformException.notFound("APP", appId);
        }
    }
}
