package io.openlive.engine.follow;

/**
 * Whom a room's viewers follow: the room's broadcaster (the room's owner), or the room itself when no broadcaster owns
 * it (a room made by an administrator or by the node, such as the demo room). Stored as {@code kind} and {@code id},
 * like a product's owner. Usage: {@code Followee.of(roomId, owner)}.
 */
public record Followee(String kind, String id) {
    public static final String BROADCASTER = "broadcaster";
    public static final String ROOM = "room";

    /** {@code owner} is the room's owner as stored: null or empty when no broadcaster owns the room. */
    public static Followee of(String roomId, String owner) {
        return owner == null || owner.isEmpty() ? new Followee(ROOM, roomId) : new Followee(BROADCASTER, owner);
    }
}
