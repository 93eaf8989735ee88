package io.openlive.engine.stream;

/** Told when a room's stream goes live and when it ends (after the publisher's grace period). */
public interface StreamListener {
    void onLive(String roomId);

    void onEnded(String roomId);

    StreamListener NONE = new StreamListener() {
        @Override
        public void onLive(String roomId) {
        }

        @Override
        public void onEnded(String roomId) {
        }
    };
}
