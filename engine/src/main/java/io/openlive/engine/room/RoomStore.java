package io.openlive.engine.room;

import java.util.List;
import java.util.Optional;

/**
 * Durable rooms. Implementations block (JDBC): call them from a worker thread, never from an event loop. A method returns
 * only after the change is committed.
 */
public interface RoomStore {
    Room create(String title);

    Optional<Room> find(String id);

    Optional<Room> findByStreamKey(String streamKey);

    /** Rooms newest first. */
    List<Room> list(int limit, int offset);

    void setState(String id, RoomState state);

    /** Replaces the stream key; the old one stops working at once. */
    Room rotateStreamKey(String id);
}
