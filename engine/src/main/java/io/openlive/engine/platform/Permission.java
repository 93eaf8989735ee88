package io.openlive.engine.platform;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The permissions a manifest may ask for and who may have them. A permission is granted outright, granted only in host
 * apps that gave their consent ({@code user:profile} for third-party components), or not available to a tier at all.
 */
public final class Permission {
    /** How a tier may hold a permission. */
    public enum Access { GRANTED, CONSENT, DENIED }

    public static final String USER_PROFILE = "user:profile";

    private static final Map<String, Map<Tier, Access>> RULES = Map.of(
            "room:read", all(),
            "comment:read", all(),
            "comment:write", all(),
            "like:write", all(),
            "gift:write", all(),
            "product:read", all(),
            "cart:write", all(),
            "order:write", Map.of(Tier.OFFICIAL, Access.GRANTED, Tier.SECOND_PARTY, Access.GRANTED, Tier.THIRD_PARTY, Access.CONSENT),
            USER_PROFILE, Map.of(Tier.OFFICIAL, Access.GRANTED, Tier.SECOND_PARTY, Access.GRANTED, Tier.THIRD_PARTY, Access.CONSENT),
            "product:pin", Map.of(Tier.OFFICIAL, Access.GRANTED, Tier.SECOND_PARTY, Access.GRANTED, Tier.THIRD_PARTY, Access.DENIED));

    private Permission() {
    }

    private static Map<Tier, Access> all() {
        return Map.of(Tier.OFFICIAL, Access.GRANTED, Tier.SECOND_PARTY, Access.GRANTED, Tier.THIRD_PARTY, Access.GRANTED);
    }

    public static Set<String> known() {
        return RULES.keySet();
    }

    public static boolean isKnown(String permission) {
        return RULES.containsKey(permission);
    }

    /** How {@code tier} may hold {@code permission}; empty for a permission that does not exist. */
    public static Optional<Access> access(String permission, Tier tier) {
        return Optional.ofNullable(RULES.get(permission)).map(m -> m.get(tier));
    }
}
