package io.openlive.engine.platform;

import java.util.Set;

/** What the platform tells the rest of a node after a change is committed, such as the realtime channel. */
public interface PlatformEvents {
    PlatformEvents NONE = new PlatformEvents() {
    };

    /** A version was revoked; containers in these rooms must unmount it. */
    default void versionRevoked(String versionId, String componentId, Set<String> roomIds) {
    }

    /**
     * One host app revoked its delivery of a version; containers of that app only, in these rooms, must unmount it (the
     * version may still be live in other apps). By default the same as a platform revocation.
     */
    default void deliveryRevoked(String versionId, String componentId, String appId, Set<String> roomIds) {
        versionRevoked(versionId, componentId, roomIds);
    }

    /** The room's moderation changed (or a comment was deleted); {@code action} is what the broadcaster sent. */
    default void moderated(String roomId, com.fasterxml.jackson.databind.JsonNode action) {
    }

    /** A product was pinned in the room. */
    default void pinned(String roomId, com.fasterxml.jackson.databind.JsonNode product) {
    }

    /** A room was delivered to a host app or bound to another of its instances; containers there remount. */
    default void roomDelivered(String roomId, String appId, String instanceId) {
    }

    /** A host app's secret, origins or policy changed. */
    default void appChanged(String appId) {
    }

    /** A version went live in a host app. */
    default void versionLive(String versionId, String appId) {
    }
}
