package io.openlive.engine.commerce;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlive.engine.platform.PlatformException;

import java.time.Instant;
import java.util.Currency;
import java.util.Set;

/**
 * The fields of a product request, checked: title 1–200 characters, image an http(s) URL or a path of at most 2048
 * characters, price an integer from 0 to {@link #MAX_PRICE} minor units, currency an ISO 4217 code, stock an integer from
 * 0 to {@link #MAX_STOCK} or null (unlimited), perViewerLimit 1 to {@link #MAX_QUANTITY} or null (none).
 */
record ProductFields(String title, String image, long price, String currency, Long stock, Integer perViewerLimit) {
    /** 10^12 minor units: large enough for any single item, small enough that price times quantity fits a long. */
    static final long MAX_PRICE = 1_000_000_000_000L;
    static final long MAX_STOCK = 1_000_000_000L;
    /** Most units in one order, and the highest per-viewer limit. */
    public static final int MAX_QUANTITY = 10_000;
    private static final Set<String> KNOWN = Set.of("title", "image", "price", "currency", "stock", "perViewerLimit", "active",
            "appId", "broadcaster");

    static ProductFields create(JsonNode body) {
        unknownFields(body);
        return new ProductFields(title(body.get("title")), image(body.get("image")), price(body.get("price")),
                currency(body.get("currency")), stock(body.get("stock")), limit(body.get("perViewerLimit")));
    }

    static Product apply(Product p, JsonNode body, Instant now) {
        unknownFields(body);
        if (body.has("appId") || body.has("broadcaster")) {
            throw PlatformException.invalid("INVALID_BODY", "a product's owner cannot change");
        }
        JsonNode active = body.get("active");
        if (active != null && !active.isBoolean()) {
            throw PlatformException.invalid("INVALID_BODY", "active must be true or false");
        }
        return new Product(p.id(), p.owner(),
                body.has("title") ? title(body.get("title")) : p.title(),
                body.has("image") ? image(body.get("image")) : p.image(),
                body.has("price") ? price(body.get("price")) : p.price(),
                body.has("currency") ? currency(body.get("currency")) : p.currency(),
                body.has("stock") ? stock(body.get("stock")) : p.stock(),
                body.has("perViewerLimit") ? limit(body.get("perViewerLimit")) : p.perViewerLimit(),
                active != null ? active.asBoolean() : p.active(), p.createdAt(), now);
    }

    private static void unknownFields(JsonNode body) {
        body.fieldNames().forEachRemaining(f -> {
            if (!KNOWN.contains(f)) {
                throw PlatformException.invalid("INVALID_BODY", "unknown product field '" + (f.length() > 40 ? f.substring(0, 40) : f) + "'");
            }
        });
    }

    private static String title(JsonNode n) {
        String t = n == null || !n.isTextual() ? "" : n.asText().strip();
        if (t.isEmpty() || t.length() > 200) {
            throw PlatformException.invalid("INVALID_TITLE", "title must be 1 to 200 characters");
        }
        return t;
    }

    private static String image(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        String s = n.isTextual() ? n.asText() : "";
        boolean ok = s.length() <= 2048 && (s.startsWith("https://") || s.startsWith("http://") || s.startsWith("/"))
                && s.chars().noneMatch(c -> c < 0x21 || c == '"' || c == '<' || c == '>');
        if (!ok) {
            throw PlatformException.invalid("INVALID_IMAGE", "image must be an http(s) URL or a path, at most 2048 characters, without spaces");
        }
        return s;
    }

    static long price(JsonNode n) {
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0 || n.asLong() > MAX_PRICE) {
            throw PlatformException.invalid("INVALID_PRICE", "price must be an integer number of minor units from 0 to " + MAX_PRICE);
        }
        return n.asLong();
    }

    static String currency(JsonNode n) {
        String c = n == null || !n.isTextual() ? "" : n.asText();
        try {
            if (c.length() == 3 && Currency.getInstance(c).getCurrencyCode().equals(c)) {
                return c;
            }
        } catch (IllegalArgumentException e) {
            // not an ISO 4217 code: refused below
        }
        throw PlatformException.invalid("INVALID_CURRENCY", "currency must be an ISO 4217 code such as EUR or USD");
    }

    private static Long stock(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0 || n.asLong() > MAX_STOCK) {
            throw PlatformException.invalid("INVALID_STOCK", "stock must be an integer from 0 to " + MAX_STOCK + ", or null for unlimited");
        }
        return n.asLong();
    }

    private static Integer limit(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 1 || n.asInt() > MAX_QUANTITY) {
            throw PlatformException.invalid("INVALID_LIMIT", "perViewerLimit must be an integer from 1 to " + MAX_QUANTITY + ", or null");
        }
        return n.asInt();
    }
}
