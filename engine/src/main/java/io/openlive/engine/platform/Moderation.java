package io.openlive.engine.platform;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A room's moderation as it stands: muted users (until when, epoch ms), banned users, filtered keywords, slow mode
 * (seconds a viewer waits between comments; 0 for off) and whether viewers without a token may watch (read-only).
 */
public record Moderation(Map<String, Long> muted, Set<String> banned, List<String> keywords, int slowModeSeconds,
                         boolean anonymousAllowed) {
    public static final Moderation NONE = new Moderation(Map.of(), Set.of(), List.of(), 0, true);

    public boolean isMuted(String user, long now) {
        Long until = muted.get(user);
        return until != null && until > now;
    }

    public boolean isBanned(String user) {
        return banned.contains(user);
    }

    /** The first filtered keyword in {@code text}, case-insensitive, or null. */
    public String filtered(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        for (String k : keywords) {
            if (lower.contains(k)) {
                return k;
            }
        }
        return null;
    }
}
