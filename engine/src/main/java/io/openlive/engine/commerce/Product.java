package io.openlive.engine.commerce;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/**
 * Something sold in live rooms. {@code price} is an integer in minor units of {@code currency} (ISO 4217: 2999 EUR is
 * 29.99 EUR); {@code stock} is the number of units left, null when unlimited; {@code perViewerLimit} caps the units one
 * viewer of one host app holds in live orders, null when there is no cap. Owned by a broadcaster or a host app.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Product(String id, Owner owner, String title, String image, long price, String currency, Long stock,
                      Integer perViewerLimit, boolean active, Instant createdAt, Instant updatedAt) {

    /** Who owns a product: {@code broadcaster} with the broadcaster's scope, or {@code app} with the host app id. */
    public record Owner(String kind, String id) {
        public static final String BROADCASTER = "broadcaster";
        public static final String APP = "app";

        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean isApp() {
            return APP.equals(kind);
        }
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean unlimited() {
        return stock == null;
    }
}
