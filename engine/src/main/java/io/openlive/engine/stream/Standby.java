package io.openlive.engine.stream;

/**
 * A publisher that is not a socket and gives way: it holds a room while no real publisher does (the demo room's sample
 * loop). A real publisher takes the room over at once; when it leaves, the standby is asked to publish again. Both calls
 * come from the thread that caused them (a real publisher's connection), outside the stream's lock, so implementations
 * hand the work to their own thread. Registered with {@link StreamHub#publishStandby}.
 */
public interface Standby {
    /** A real publisher took the room: the standby's {@link Publisher} no longer writes anything. */
    void takenOver();

    /** The real publisher left: publish again through {@link StreamHub#publishStandby}. */
    void resume();
}
