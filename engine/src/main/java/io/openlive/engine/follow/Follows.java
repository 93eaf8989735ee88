package io.openlive.engine.follow;

import io.openlive.engine.platform.PlatformException;

import java.time.Clock;

/**
 * Viewers following a room's broadcaster ({@link Followee}): follow, unfollow and the viewer's status, each answering
 * whether the viewer now follows and how many followers the followee has across every host app. Following twice is one
 * follow; unfollowing someone not followed is no change. Blocks on the store: call from a worker.
 *
 * <p>Usage: {@code follows.follow(roomId, appId, viewerId)} is {@code Status[following=true, followers=…]}.
 */
public final class Follows {
    /** The answer of every method: whether the viewer follows now and the followee's follower count over every app. */
    public record Status(boolean following, long followers) {
    }

    private final FollowStore store;
    private final Clock clock;

    public Follows(FollowStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public Status follow(String roomId, String appId, String viewerId) {
        Followee f = followee(roomId);
        store.follow(new FollowStore.Follow(f, appId, viewerId, roomId, clock.millis()));
        return new Status(true, total(f));
    }

    public Status unfollow(String roomId, String appId, String viewerId) {
        Followee f = followee(roomId);
        store.unfollow(f, appId, viewerId);
        return new Status(false, total(f));
    }

    public Status status(String roomId, String appId, String viewerId) {
        Followee f = followee(roomId);
        return new Status(store.isFollowing(f, appId, viewerId), total(f));
    }

    private Followee followee(String roomId) {
        String owner = store.roomOwner(roomId).orElseThrow(() -> PlatformException.notFound("ROOM", roomId));
        return Followee.of(roomId, owner);
    }

    private long total(Followee f) {
        return store.followers(f).values().stream().mapToLong(Long::longValue).sum();
    }
}
