package io.openlive.engine.platform;

import java.util.Set;

/** What the platform tells the rest of a node after a change is committed, such as the realtime channel. */
public interface PlatformEvents {
    PlatformEvents NONE = new PlatformEvents() {
    };

    /** A version was revoked; containers in these rooms must unmount it. */
    default void versionRevoked(String versionId, String componentId, Set<String> roomIds) {
    }

    /** A version went live in a host app. */
    default void versionLive(String versionId, String appId) {
    }
}
