package io.openlive.engine.platform;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/** One state change: who did what to which entity, when, and the entity before and after (JSON; null when absent). */
public record AuditEntry(String id, Instant at, String actor, String action, String entity, String entityId,
                         JsonNode before, JsonNode after) {
}
