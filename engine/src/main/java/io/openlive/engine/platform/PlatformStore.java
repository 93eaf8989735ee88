package io.openlive.engine.platform;

import io.openlive.engine.room.Room;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Durable platform state. All work happens in {@link #transact}: the function's changes commit together or not at all,
 * and are committed before it returns. Implementations block (JDBC).
 */
public interface PlatformStore {
    <T> T transact(java.util.function.Function<Tx, T> work);

    /** The operations of one transaction. Lists take a page request and return up to {@code limit + 1} rows. */
    interface Tx {
        void insertKey(ApiKey key);

        Optional<ApiKey> findKeyByHash(String hash);

        Optional<ApiKey> findKey(String id);

        List<ApiKey> listKeys(Page.Request page);

        void revokeKey(String id, Instant at);

        int countKeys();

        /**
         * Waits for, then holds until this transaction ends, the lock that first-admin bootstraps take, across every node
         * on the store: a {@link #countKeys} after it sees the keys of any bootstrap that held it before.
         */
        void lockKeyBootstrap();

        void insertApp(HostApp app);

        void updateApp(HostApp app);

        Optional<HostApp> findApp(String id);

        List<HostApp> listApps(Page.Request page);

        List<HostApp> allApps();

        void insertDeveloper(Developer d);

        Optional<Developer> findDeveloper(String id);

        List<Developer> listDevelopers(Page.Request page);

        void insertComponent(Component c);

        Optional<Component> findComponent(String id);

        /** Components of one developer, or of all when {@code developerId} is null. */
        List<Component> listComponents(String developerId, Page.Request page);

        void insertVersion(ComponentVersion v);

        void updateVersion(ComponentVersion v);

        Optional<ComponentVersion> findVersion(String id);

        Optional<ComponentVersion> findVersion(String componentId, String version);

        List<ComponentVersion> listVersions(String componentId);

        /** Components whose id starts with {@code idPrefix} (such as {@code acme.poll.}), at most {@code limit}. */
        List<Component> listComponentsUnder(String idPrefix, int limit);

        /** Drafts (never submitted) of all of a developer's components. */
        int countDrafts(String developerId);

        /** Deletes a developer's drafts uploaded before {@code cutoff}; drafts are in no delivery or instance. */
        int deleteDraftsUploadedBefore(String developerId, java.time.Instant cutoff);

        /** Versions in a state across components, oldest first (the review queue). */
        List<ComponentVersion> listVersionsInState(VersionState state, Page.Request page);

        void upsertDelivery(Delivery d);

        Optional<Delivery> findDelivery(String versionId, String appId);

        /** Every host app's delivery of one version, by app id. */
        List<Delivery> listDeliveriesOfVersion(String versionId);

        /** Deliveries of one host app, optionally in one state, newest first. */
        List<Delivery> listDeliveries(String appId, DeliveryState state, Page.Request page);

        List<Delivery> deliveriesOfVersion(String versionId);

        void insertInstance(Instance i);

        Optional<Instance> findInstance(String id);

        List<Instance> listInstances(String appId, Page.Request page);

        void insertRoom(Room r);

        void updateRoom(Room r);

        Optional<Room> findRoom(String id);

        /** Rooms of one owner, or all when {@code owner} is null, newest first. */
        List<Room> listRooms(String owner, Page.Request page);

        void upsertRoomDelivery(RoomDelivery d);

        Optional<RoomDelivery> findRoomDelivery(String roomId, String appId);

        List<RoomDelivery> listRoomDeliveries(String roomId);

        /** Rooms whose bound instance contains {@code versionId}. */
        List<String> roomsUsingVersion(String versionId);

        /** The room's moderation, with expired mutes left out. */
        Moderation moderationOf(String roomId);

        /** Adds a moderation row: {@code kind} mute (value: until, epoch ms), ban, keyword, slow-mode (value: seconds). */
        void putModeration(String roomId, String kind, String subject, long value);

        void removeModeration(String roomId, String kind, String subject);

        void insertAudit(AuditEntry e);

        /** Audit rows newest first, optionally of one entity. */
        List<AuditEntry> listAudit(String entity, String entityId, Page.Request page);
    }
}
