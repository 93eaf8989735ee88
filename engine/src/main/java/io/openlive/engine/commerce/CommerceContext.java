package io.openlive.engine.commerce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.openlive.engine.platform.AuditEntry;
import io.openlive.engine.platform.Ids;
import io.openlive.engine.platform.PlatformEvents;
import io.openlive.engine.platform.Principal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** What the parts of commerce share: the store, the clock, the node's event sink and the unpaid-order lifetime. */
record CommerceContext(CommerceStore store, Clock clock, PlatformEvents events, Duration orderTtl) {
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    Instant now() {
        return clock.instant();
    }

    /** An audit row in the caller's transaction, in the platform's audit log. */
    void audit(CommerceStore.Tx tx, Principal who, String action, String entity, String entityId, Object before, Object after) {
        Instant at = now();
        tx.insertAudit(new AuditEntry(Ids.timeOrdered("au", at.toEpochMilli()), at, who.name(), action, entity, entityId,
                before == null ? null : JSON.valueToTree(before), after == null ? null : JSON.valueToTree(after)));
    }

    static JsonNode tree(Object o) {
        return JSON.valueToTree(o);
    }
}
