package io.openlive.engine.platform;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A room's moderation as it stands: muted users (until when, epoch ms), banned users (both named
 * {@code appId/user}, see {@link #subject}), filtered keywords, slow mode
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

    /** How a mute or ban names a viewer: within its host app, as token subjects are the app's own ids. */
    public static String subject(String appId, String user) {
        return appId + "/" + user;
    }

    /** Banned in {@code appId} (or by a ban stored before bans named the app). */
    public boolean isBanned(String appId, String user) {
        return banned.contains(subject(appId, user)) || banned.contains(user);
    }

    /** Muted in {@code appId} (or by a mute stored before mutes named the app); the time it ends, or null. */
    public Long mutedUntil(String appId, String user, long now) {
        Long until = muted.get(subject(appId, user));
        if (until == null || until <= now) {
            until = muted.get(user);
        }
        return until != null && until > now ? until : null;
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
