package io.openlive.engine.platform;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.time.Instant;
import java.util.List;

/**
 * An app the live room is delivered into. {@code secret} signs the app's viewer tokens; it is shown once, at creation
 * and rotation, and never serialised. {@code thirdPartyConsent} lets third-party components holding consent-gated
 * permissions ({@code user:profile}, {@code order:write}) go live in this app.
 */
public record HostApp(String id, String name, List<String> origins, @JsonIgnore String secret, DeliveryPolicy policy,
                      boolean thirdPartyConsent, Instant createdAt, Instant updatedAt) {
}
