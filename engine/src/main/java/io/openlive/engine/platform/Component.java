package io.openlive.engine.platform;

import java.time.Instant;

/**
 * A component or plugin, owned by one developer. {@code id} is the manifest id (dotted, such as {@code acme.coupon});
 * its topics live under {@code id.*}. {@code kind} is {@code component} (sits in a slot) or {@code plugin} (the live
 * plugin, the container's own core piece).
 */
public record Component(String id, String developerId, String name, String kind, Instant createdAt) {
}
