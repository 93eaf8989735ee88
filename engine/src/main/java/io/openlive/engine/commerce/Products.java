package io.openlive.engine.commerce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openlive.engine.platform.Ids;
import io.openlive.engine.platform.PlatformException;
import io.openlive.engine.platform.Principal;
import io.openlive.engine.platform.Role;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Products, the products attached to rooms, and the pinned one. Tenancy: a broadcaster sees and changes only its own
 * products, a host app's operator only its app's; admins all. A product is attached to a room by the room's owner (its
 * own products) or by the operator of a host app the room is delivered to (that app's products). The room's owner pins
 * one attached product at a time. Every change is audited. Blocks on the store.
 */
public final class Products {
    private final CommerceContext ctx;

    Products(CommerceContext ctx) {
        this.ctx = ctx;
    }

    /** Creates a product owned by the caller (an admin names the owner with {@code appId} or {@code broadcaster}). */
    public Product create(Principal p, JsonNode body) {
        Product.Owner owner = ownerFor(p, body);
        Instant now = ctx.now();
        ProductFields f = ProductFields.create(body);
        Product product = new Product(Ids.newId("prod"), owner, f.title(), f.image(), f.price(), f.currency(), f.stock(),
                f.perViewerLimit(), true, now, now);
        return ctx.store().transact(tx -> {
            tx.insertProduct(product);
            ctx.audit(tx, p, "product.create", "product", product.id(), null, product);
            return product;
        });
    }

    public Product get(Principal p, String id) {
        return ctx.store().transact(tx -> owned(tx, p, id));
    }

    /** Changes the given fields; {@code stock} sets the units left (a restock), {@code active:false} stops new orders. */
    public Product update(Principal p, String id, JsonNode body) {
        return ctx.store().transact(tx -> {
            Product before = owned(tx, p, id);
            Product after = ProductFields.apply(before, body, ctx.now());
            tx.updateProduct(after);
            ctx.audit(tx, p, "product.update", "product", id, before, after);
            return after;
        });
    }

    /** Attaches a product to a room; attaching one already attached changes nothing. */
    public List<Product> attach(Principal p, String roomId, String productId) {
        return ctx.store().transact(tx -> {
            String owner = tx.roomOwner(roomId).orElseThrow(() -> PlatformException.notFound("ROOM", roomId));
            boolean ownsRoom = p.isAdmin() || (p.is(Role.BROADCASTER) && owner.equals(p.scope()));
            boolean appInRoom = p.is(Role.APP_OPERATOR) && tx.roomApps(roomId).contains(p.scope());
            if (!ownsRoom && !appInRoom) {
                throw PlatformException.notFound("ROOM", roomId);
            }
            Product product = owned(tx, p, productId);
            if (!tx.attached(roomId, productId)) {
                tx.attach(roomId, productId, ctx.now());
                ctx.audit(tx, p, "room.product.attach", "room", roomId, null, product);
            }
            return tx.roomProducts(roomId);
        });
    }

    /**
     * Pins a product attached to the room (room owner or admin), stored so that {@code product.current} answers it
     * after a restart and on every node, then announced on {@code product.pin}.
     */
    public JsonNode pin(Principal p, String roomId, String productId) {
        JsonNode card = ctx.store().transact(tx -> {
            String owner = tx.roomOwner(roomId).orElseThrow(() -> PlatformException.notFound("ROOM", roomId));
            if (!p.isAdmin() && !(p.is(Role.BROADCASTER) && owner.equals(p.scope()))) {
                throw PlatformException.notFound("ROOM", roomId);
            }
            if (productId == null || productId.length() > 64 || !tx.attached(roomId, productId)) {
                throw PlatformException.invalid("PRODUCT_NOT_IN_ROOM", "product " + productId + " is not attached to room " + roomId
                        + " (POST /rooms/" + roomId + "/products first)");
            }
            Product product = tx.findProduct(productId).orElseThrow(() -> PlatformException.notFound("PRODUCT", productId));
            tx.pin(roomId, productId, ctx.now());
            JsonNode c = card(product);
            ctx.audit(tx, p, "room.pin", "room", roomId, null, c);
            return c;
        });
        ctx.events().pinned(roomId, card);
        return card;
    }

    /** What {@code product.current} answers: {@code {product: card}} of the room's pinned product, or {@code {product:null}}. */
    public JsonNode current(String roomId) {
        Optional<Product> pinned = ctx.store().transact(tx -> tx.pinned(roomId).flatMap(tx::findProduct));
        ObjectNode n = CommerceContext.JSON.createObjectNode();
        n.set("product", pinned.map(Products::card).orElse(null));
        return n;
    }

    /** The product as viewers see it on {@code product.pin} and {@code product.current}. */
    public static JsonNode card(Product p) {
        ObjectNode n = CommerceContext.JSON.createObjectNode().put("productId", p.id()).put("title", p.title())
                .put("image", p.image()).put("price", p.price()).put("currency", p.currency());
        if (p.stock() == null) {
            n.putNull("stock");
        } else {
            n.put("stock", p.stock());
        }
        if (p.perViewerLimit() == null) {
            n.putNull("perViewerLimit");
        } else {
            n.put("perViewerLimit", p.perViewerLimit());
        }
        n.put("active", p.active());
        return n;
    }

    private static Product owned(CommerceStore.Tx tx, Principal p, String id) {
        Product product = (id == null || id.length() > 64 ? Optional.<Product>empty() : tx.findProduct(id))
                .orElseThrow(() -> PlatformException.notFound("PRODUCT", id));
        if (!mayManage(p, product)) {
            throw PlatformException.notFound("PRODUCT", id); // other tenants' products do not exist for the caller
        }
        return product;
    }

    static boolean mayManage(Principal p, Product product) {
        if (p.isAdmin()) {
            return true;
        }
        Product.Owner o = product.owner();
        return (p.is(Role.BROADCASTER) && o.kind().equals(Product.Owner.BROADCASTER) && o.id().equals(p.scope()))
                || (p.is(Role.APP_OPERATOR) && o.isApp() && o.id().equals(p.scope()));
    }

    private static Product.Owner ownerFor(Principal p, JsonNode body) {
        if (p.is(Role.BROADCASTER)) {
            return new Product.Owner(Product.Owner.BROADCASTER, p.scope());
        }
        if (p.is(Role.APP_OPERATOR)) {
            return new Product.Owner(Product.Owner.APP, p.scope());
        }
        if (p.isAdmin()) {
            String app = body.path("appId").asText("");
            String broadcaster = body.path("broadcaster").asText("");
            if (app.isEmpty() == broadcaster.isEmpty() || app.length() > 64 || broadcaster.length() > 64) {
                throw PlatformException.invalid("INVALID_BODY", "an admin names the owner: appId or broadcaster (one of them)");
            }
            return app.isEmpty() ? new Product.Owner(Product.Owner.BROADCASTER, broadcaster) : new Product.Owner(Product.Owner.APP, app);
        }
        throw PlatformException.forbidden("only broadcasters, host app operators and admins create products");
    }
}
