package io.openlive.engine.platform;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.time.Instant;

/** An API key as stored: only the SHA-256 of the key is kept, so a leaked database does not leak keys. */
public record ApiKey(String id, @JsonIgnore String keyHash, Role role, String scope, String name, Instant createdAt,
                     Instant revokedAt) {
    public Principal principal() {
        return new Principal(name + " (" + id + ")", role, scope);
    }
}
