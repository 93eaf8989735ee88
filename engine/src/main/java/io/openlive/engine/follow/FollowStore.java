package io.openlive.engine.follow;

import java.util.Map;
import java.util.Optional;

/**
 * Durable follows: one row per followee, host app and viewer (viewer ids are their host app's, so the same id in two
 * apps is two people). Implementations block (JDBC) and make {@link #follow} and {@link #unfollow} idempotent.
 */
public interface FollowStore {
    /** One viewer following; {@code roomId} is the room they followed from, {@code at} epoch milliseconds. */
    record Follow(Followee followee, String appId, String viewerId, String roomId, long at) {
    }

    /** The room's owner ({@code ""} when none); empty when there is no such room. */
    Optional<String> roomOwner(String roomId);

    /** Adds the follow unless it exists; answers whether it was added. */
    boolean follow(Follow f);

    /** Removes the follow if it exists; answers whether it was removed. */
    boolean unfollow(Followee followee, String appId, String viewerId);

    boolean isFollowing(Followee followee, String appId, String viewerId);

    /** Followers per host app. */
    Map<String, Long> followers(Followee followee);
}
