package io.openlive.engine.platform;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * A version's review state (DESIGN.md): {@code draft → submitted → checks_failed | in_review → approved | rejected;
 * approved → revoked}. {@code submitted} lasts only while the checks run, inside one transaction.
 */
public enum VersionState {
    DRAFT, SUBMITTED, CHECKS_FAILED, IN_REVIEW, APPROVED, REJECTED, REVOKED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static VersionState fromWire(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }

    /** Whether the workflow allows moving from this state to {@code next}. */
    public boolean canMoveTo(VersionState next) {
        return switch (this) {
            case DRAFT -> next == SUBMITTED;
            case SUBMITTED -> next == CHECKS_FAILED || next == IN_REVIEW;
            case IN_REVIEW -> next == APPROVED || next == REJECTED;
            case APPROVED -> next == REVOKED;
            case CHECKS_FAILED, REJECTED, REVOKED -> false;
        };
    }

    /** Versions that passed the checks count for semver ordering; drafts and failed checks do not. */
    public boolean passedChecks() {
        return this == IN_REVIEW || this == APPROVED || this == REJECTED || this == REVOKED;
    }
}
