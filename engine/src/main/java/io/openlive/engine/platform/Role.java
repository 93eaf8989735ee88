package io.openlive.engine.platform;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What an API key may do. Scoped roles name their scope in the key: a host app for {@code app-operator} and
 * {@code app-reviewer}, a developer for {@code developer}; a {@code broadcaster} owns the rooms it creates.
 */
public enum Role {
    ADMIN("admin", false), REVIEWER("reviewer", false), APP_OPERATOR("app-operator", true),
    APP_REVIEWER("app-reviewer", true), DEVELOPER("developer", true), BROADCASTER("broadcaster", false);

    private final String wire;
    private final boolean scoped;

    Role(String wire, boolean scoped) {
        this.wire = wire;
        this.scoped = scoped;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    /** Whether a key of this role must name the host app or developer it acts for. */
    public boolean scoped() {
        return scoped;
    }

    public static Role parse(String text) {
        for (Role r : values()) {
            if (r.wire.equals(text)) {
                return r;
            }
        }
        throw PlatformException.invalid("INVALID_ROLE",
                "role must be admin, reviewer, app-operator, app-reviewer, developer or broadcaster, not '" + text + "'");
    }
}
