package io.openlive.engine.platform;

import java.time.Instant;

/** A person or team that builds components, with the tier that bounds their permissions. */
public record Developer(String id, String name, Tier tier, Instant createdAt) {
}
