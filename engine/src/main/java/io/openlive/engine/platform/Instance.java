package io.openlive.engine.platform;

import java.time.Instant;

/**
 * A host app's build: immutable, identified by the hash of its {@link InstanceDocument}. {@code source} is {@code cloud}
 * (built by the API) or {@code local} (built by the CLI and pushed).
 */
public record Instance(String id, String appId, InstanceDocument document, String source, String createdBy, Instant createdAt) {
}
