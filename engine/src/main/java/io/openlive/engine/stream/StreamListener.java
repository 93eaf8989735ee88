package io.openlive.engine.stream;

/** Told when a room's stream goes live and when it ends (after the publisher's grace period). */
public interface StreamListener {
    void onLive(String roomId);

    void onEnded(String roomId);

    /**
     * A viewer got its first decodable frame (key frame, or audio in a stream without video) {@code nanos} after it asked
     * to play. Called once per viewer on the viewer's event loop: keep it cheap.
     */
    default void onFirstFrame(String roomId, String protocol, long nanos) {
    }

    /**
     * Server-side delay of a sampled viewer: from a frame's arrival from the publisher to its bytes handed to the viewer's
     * socket, for the oldest frame of one write. Called on the viewer's event loop: keep it cheap.
     */
    default void onEgressDelay(String roomId, String protocol, long nanos) {
    }

    StreamListener NONE = new StreamListener() {
        @Override
        public void onLive(String roomId) {
        }

        @Override
        public void onEnded(String roomId) {
        }
    };
}
