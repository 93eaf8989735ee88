package io.openlive.engine.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.time.Clock;
import java.time.Instant;

/** What every part of the platform shares: the store, the bundle files, the clock, the limits and the event sink. */
record PlatformContext(PlatformStore store, BundleStore bundles, Clock clock, BundleLimits limits, PlatformEvents events) {
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    Instant now() {
        return clock.instant();
    }

    /** Writes an audit row in the caller's transaction: who did what, and the entity before and after. */
    void audit(PlatformStore.Tx tx, Principal who, String action, String entity, String entityId, Object before, Object after) {
        Instant at = now();
        tx.insertAudit(new AuditEntry(Ids.timeOrdered("au", at.toEpochMilli()), at, who.name(), action, entity, entityId,
                snapshot(before), snapshot(after)));
    }

    private static JsonNode snapshot(Object o) {
        return o == null ? null : JSON.valueToTree(o);
    }

    static String requireText(String value, String field, int max) {
        if (value == null || value.isBlank() || value.length() > max) {
            throw PlatformException.invalid("INVALID_" + field.toUpperCase(java.util.Locale.ROOT), field + " must be 1 to " + max + " characters");
        }
        // control characters (NUL, line breaks) and bidirectional overrides (UAX #9) make a name print as something else
        if (value.chars().anyMatch(c -> Character.isISOControl(c) || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)
                || c == 0x200E || c == 0x200F || c == 0x061C)) {
            throw PlatformException.invalid("INVALID_" + field.toUpperCase(java.util.Locale.ROOT), field + " must not hold control or bidirectional formatting characters");
        }
        return value.strip();
    }
}
