package io.openlive.server.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openlive.engine.platform.ApiKey;
import io.openlive.engine.platform.AuditEntry;
import io.openlive.engine.platform.CheckReport;
import io.openlive.engine.platform.Component;
import io.openlive.engine.platform.ComponentVersion;
import io.openlive.engine.platform.Delivery;
import io.openlive.engine.platform.DeliveryPolicy;
import io.openlive.engine.platform.DeliveryState;
import io.openlive.engine.platform.Developer;
import io.openlive.engine.platform.HostApp;
import io.openlive.engine.platform.Instance;
import io.openlive.engine.platform.InstanceDocument;
import io.openlive.engine.platform.Manifest;
import io.openlive.engine.platform.Moderation;
import io.openlive.engine.platform.Page;
import io.openlive.engine.platform.PlatformStore;
import io.openlive.engine.platform.Role;
import io.openlive.engine.platform.RoomDelivery;
import io.openlive.engine.platform.Tier;
import io.openlive.engine.platform.VersionState;
import io.openlive.engine.room.Room;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** {@link PlatformStore} on {@link Database}: plain SQL both SQLite and PostgreSQL run; JSON documents kept as text. */
public final class JdbcPlatformStore implements PlatformStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Database db;

    public JdbcPlatformStore(Database db) {
        this.db = db;
    }

    @Override
    public <T> T transact(Function<Tx, T> work) {
        return db.transaction(c -> work.apply(new JdbcTx(new Jdbc(c), db.postgres())));
    }

    private static String json(Object o) {
        try {
            return o == null ? null : JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new StoreException("cannot write JSON: " + e.getOriginalMessage());
        }
    }

    private static <T> T parse(String text, Class<T> type) {
        try {
            return text == null ? null : JSON.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new StoreException("stored JSON unreadable: " + e.getOriginalMessage());
        }
    }

    private record JdbcTx(Jdbc j, boolean postgres) implements Tx {
        private static final String VERSION_COLUMNS =
                "id, component_id, version, state, manifest, bundle_hash, bundle_size, uploaded_by, uploaded_at, report, reason, updated_at";
        /** The advisory lock of first-admin bootstraps on PostgreSQL: any fixed number, "olkey" in ASCII. */
        private static final long KEY_BOOTSTRAP_LOCK = 0x6f6c6b6579L;
        private static final String DELIVERY_COLUMNS = "version_id, component_id, version, app_id, state, reason, decided_by, updated_at";

        // ---- keys
        @Override
        public void insertKey(ApiKey k) {
            j.exec("INSERT INTO api_keys (id, key_hash, role, scope, name, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    k.id(), k.keyHash(), k.role().wire(), k.scope(), k.name(), k.createdAt(), k.revokedAt());
        }

        @Override
        public Optional<ApiKey> findKeyByHash(String hash) {
            return j.one("SELECT * FROM api_keys WHERE key_hash = ?", JdbcTx::key, hash);
        }

        @Override
        public Optional<ApiKey> findKey(String id) {
            return j.one("SELECT * FROM api_keys WHERE id = ?", JdbcTx::key, id);
        }

        @Override
        public List<ApiKey> listKeys(Page.Request p) {
            return j.list("SELECT * FROM api_keys ORDER BY created_at, id LIMIT ? OFFSET ?", JdbcTx::key, p.limit() + 1, p.offset());
        }

        @Override
        public void revokeKey(String id, Instant at) {
            j.exec("UPDATE api_keys SET revoked_at = ? WHERE id = ?", at, id);
        }

        @Override
        public int countKeys() {
            return j.one("SELECT COUNT(*) FROM api_keys", rs -> rs.getInt(1)).orElse(0);
        }

        /**
         * PostgreSQL: a transaction-scoped advisory lock. Under READ COMMITTED a count sees only what was committed when
         * its statement began, and nothing stops a second first key (no row to lock while the table is empty, no unique
         * column to collide on), so two bootstraps racing each counted zero and each inserted. The lock is released by
         * the commit, after which the waiting bootstrap's count sees the key. Advisory locks are per database, not per
         * schema: deployments in other schemas of one database only wait out each other's bootstrap, milliseconds.
         *
         * <p>SQLite: every transaction begins IMMEDIATE ({@link Database}), holding the file's write lock from its first
         * statement, so count and insert already run alone, across processes too.
         */
        @Override
        public void lockKeyBootstrap() {
            if (postgres) {
                j.one("SELECT pg_advisory_xact_lock(?)", rs -> Boolean.TRUE, KEY_BOOTSTRAP_LOCK);
            }
        }

        private static ApiKey key(ResultSet rs) throws SQLException {
            return new ApiKey(rs.getString("id"), rs.getString("key_hash"), Role.parse(rs.getString("role")), rs.getString("scope"),
                    rs.getString("name"), Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "revoked_at"));
        }

        // ---- host apps
        @Override
        public void insertApp(HostApp a) {
            j.exec("INSERT INTO host_apps (id, name, origins, secret, policy, third_party_consent, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    a.id(), a.name(), json(a.origins()), a.secret(), a.policy().wire(), a.thirdPartyConsent(), a.createdAt(), a.updatedAt());
        }

        @Override
        public void updateApp(HostApp a) {
            j.exec("UPDATE host_apps SET name = ?, origins = ?, secret = ?, policy = ?, third_party_consent = ?, updated_at = ? WHERE id = ?",
                    a.name(), json(a.origins()), a.secret(), a.policy().wire(), a.thirdPartyConsent(), a.updatedAt(), a.id());
        }

        @Override
        public Optional<HostApp> findApp(String id) {
            return j.one("SELECT * FROM host_apps WHERE id = ?", JdbcTx::app, id);
        }

        @Override
        public List<HostApp> listApps(Page.Request p) {
            return j.list("SELECT * FROM host_apps ORDER BY created_at, id LIMIT ? OFFSET ?", JdbcTx::app, p.limit() + 1, p.offset());
        }

        @Override
        public List<HostApp> allApps() {
            return j.list("SELECT * FROM host_apps ORDER BY created_at, id", JdbcTx::app);
        }

        private static HostApp app(ResultSet rs) throws SQLException {
            List<String> origins;
            try {
                origins = JSON.readValue(rs.getString("origins"), new TypeReference<List<String>>() {
                });
            } catch (JsonProcessingException e) {
                throw new StoreException("stored origins unreadable for " + rs.getString("id"));
            }
            return new HostApp(rs.getString("id"), rs.getString("name"), origins, rs.getString("secret"),
                    DeliveryPolicy.parse(rs.getString("policy")), rs.getInt("third_party_consent") != 0,
                    Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "updated_at"));
        }

        // ---- developers and components
        @Override
        public void insertDeveloper(Developer d) {
            j.exec("INSERT INTO developers (id, name, tier, created_at) VALUES (?, ?, ?, ?)", d.id(), d.name(), d.tier().wire(), d.createdAt());
        }

        @Override
        public Optional<Developer> findDeveloper(String id) {
            return j.one("SELECT * FROM developers WHERE id = ?", JdbcTx::developer, id);
        }

        @Override
        public List<Developer> listDevelopers(Page.Request p) {
            return j.list("SELECT * FROM developers ORDER BY created_at, id LIMIT ? OFFSET ?", JdbcTx::developer, p.limit() + 1, p.offset());
        }

        private static Developer developer(ResultSet rs) throws SQLException {
            return new Developer(rs.getString("id"), rs.getString("name"), Tier.parse(rs.getString("tier")), Jdbc.instant(rs, "created_at"));
        }

        @Override
        public void insertComponent(Component c) {
            j.exec("INSERT INTO components (id, developer_id, name, kind, created_at) VALUES (?, ?, ?, ?, ?)",
                    c.id(), c.developerId(), c.name(), c.kind(), c.createdAt());
        }

        @Override
        public Optional<Component> findComponent(String id) {
            return j.one("SELECT * FROM components WHERE id = ?", JdbcTx::component, id);
        }

        @Override
        public List<Component> listComponents(String developerId, Page.Request p) {
            return developerId == null
                    ? j.list("SELECT * FROM components ORDER BY created_at, id LIMIT ? OFFSET ?", JdbcTx::component, p.limit() + 1, p.offset())
                    : j.list("SELECT * FROM components WHERE developer_id = ? ORDER BY created_at, id LIMIT ? OFFSET ?", JdbcTx::component,
                    developerId, p.limit() + 1, p.offset());
        }

        private static Component component(ResultSet rs) throws SQLException {
            return new Component(rs.getString("id"), rs.getString("developer_id"), rs.getString("name"), rs.getString("kind"),
                    Jdbc.instant(rs, "created_at"));
        }

        // ---- versions
        @Override
        public void insertVersion(ComponentVersion v) {
            j.exec("INSERT INTO component_versions (" + VERSION_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    v.id(), v.componentId(), v.version(), v.state().wire(), json(v.manifest()), v.bundleHash(), v.bundleSize(),
                    v.uploadedBy(), v.uploadedAt(), json(v.report()), v.reason(), v.updatedAt());
        }

        @Override
        public void updateVersion(ComponentVersion v) {
            j.exec("UPDATE component_versions SET state = ?, report = ?, reason = ?, updated_at = ? WHERE id = ?",
                    v.state().wire(), json(v.report()), v.reason(), v.updatedAt(), v.id());
        }

        @Override
        public Optional<ComponentVersion> findVersion(String id) {
            return j.one("SELECT " + VERSION_COLUMNS + " FROM component_versions WHERE id = ?", JdbcTx::version, id);
        }

        @Override
        public Optional<ComponentVersion> findVersion(String componentId, String version) {
            return j.one("SELECT " + VERSION_COLUMNS + " FROM component_versions WHERE component_id = ? AND version = ?",
                    JdbcTx::version, componentId, version);
        }

        @Override
        public List<ComponentVersion> listVersions(String componentId) {
            return j.list("SELECT " + VERSION_COLUMNS + " FROM component_versions WHERE component_id = ? ORDER BY uploaded_at, id",
                    JdbcTx::version, componentId);
        }

        @Override
        public List<Component> listComponentsUnder(String idPrefix, int limit) {
            // component ids hold only [a-z0-9.-] (Manifest.isValidId), so the prefix has no LIKE wildcard to escape
            return j.list("SELECT * FROM components WHERE id LIKE ? ORDER BY id LIMIT ?", JdbcTx::component, idPrefix + "%", limit);
        }

        @Override
        public int countDrafts(String developerId) {
            return j.one("SELECT COUNT(*) AS n FROM component_versions WHERE state = ? AND component_id IN "
                    + "(SELECT id FROM components WHERE developer_id = ?)", rs -> rs.getInt("n"), VersionState.DRAFT.wire(), developerId).orElse(0);
        }

        @Override
        public int deleteDraftsUploadedBefore(String developerId, Instant cutoff) {
            return j.exec("DELETE FROM component_versions WHERE state = ? AND uploaded_at < ? AND component_id IN "
                    + "(SELECT id FROM components WHERE developer_id = ?)", VersionState.DRAFT.wire(), cutoff, developerId);
        }

        @Override
        public List<ComponentVersion> listVersionsInState(VersionState state, Page.Request p) {
            return j.list("SELECT " + VERSION_COLUMNS + " FROM component_versions WHERE state = ? ORDER BY updated_at, id LIMIT ? OFFSET ?",
                    JdbcTx::version, state.wire(), p.limit() + 1, p.offset());
        }

        private static ComponentVersion version(ResultSet rs) throws SQLException {
            return new ComponentVersion(rs.getString("id"), rs.getString("component_id"), rs.getString("version"),
                    VersionState.fromWire(rs.getString("state")), parse(rs.getString("manifest"), Manifest.class),
                    rs.getString("bundle_hash"), rs.getLong("bundle_size"), rs.getString("uploaded_by"),
                    Jdbc.instant(rs, "uploaded_at"), parse(rs.getString("report"), CheckReport.class), rs.getString("reason"),
                    Jdbc.instant(rs, "updated_at"));
        }

        // ---- deliveries
        @Override
        public void upsertDelivery(Delivery d) {
            // one statement, so two writers of the same pair never both miss the row and collide on its key
            j.exec("INSERT INTO deliveries (" + DELIVERY_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                            + " ON CONFLICT (version_id, app_id) DO UPDATE SET state = excluded.state, reason = excluded.reason,"
                            + " decided_by = excluded.decided_by, updated_at = excluded.updated_at",
                    d.versionId(), d.componentId(), d.version(), d.appId(), d.state().wire(), d.reason(), d.decidedBy(), d.updatedAt());
        }

        @Override
        public List<Delivery> listDeliveriesOfVersion(String versionId) {
            return j.list("SELECT " + DELIVERY_COLUMNS + " FROM deliveries WHERE version_id = ? ORDER BY app_id", JdbcTx::delivery, versionId);
        }

        @Override
        public Optional<Delivery> findDelivery(String versionId, String appId) {
            return j.one("SELECT " + DELIVERY_COLUMNS + " FROM deliveries WHERE version_id = ? AND app_id = ?", JdbcTx::delivery, versionId, appId);
        }

        @Override
        public List<Delivery> listDeliveries(String appId, DeliveryState state, Page.Request p) {
            return state == null
                    ? j.list("SELECT " + DELIVERY_COLUMNS + " FROM deliveries WHERE app_id = ? ORDER BY updated_at DESC, version_id LIMIT ? OFFSET ?",
                    JdbcTx::delivery, appId, p.limit() + 1, p.offset())
                    : j.list("SELECT " + DELIVERY_COLUMNS + " FROM deliveries WHERE app_id = ? AND state = ? ORDER BY updated_at DESC, version_id LIMIT ? OFFSET ?",
                    JdbcTx::delivery, appId, state.wire(), p.limit() + 1, p.offset());
        }

        @Override
        public List<Delivery> deliveriesOfVersion(String versionId) {
            return j.list("SELECT " + DELIVERY_COLUMNS + " FROM deliveries WHERE version_id = ? ORDER BY app_id", JdbcTx::delivery, versionId);
        }

        private static Delivery delivery(ResultSet rs) throws SQLException {
            return new Delivery(rs.getString("version_id"), rs.getString("component_id"), rs.getString("version"), rs.getString("app_id"),
                    DeliveryState.fromWire(rs.getString("state")), rs.getString("reason"), rs.getString("decided_by"),
                    Jdbc.instant(rs, "updated_at"));
        }

        // ---- instances
        @Override
        public void insertInstance(Instance i) {
            j.exec("INSERT INTO instances (id, app_id, document, source, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                    i.id(), i.appId(), json(i.document().toJson()), i.source(), i.createdBy(), i.createdAt());
            List<String> versions = new ArrayList<>();
            versions.add(i.document().plugin().versionId());
            i.document().components().forEach(p -> versions.add(p.versionId()));
            for (String v : versions) {
                j.exec("INSERT INTO instance_versions (instance_id, version_id) VALUES (?, ?)", i.id(), v);
            }
        }

        @Override
        public Optional<Instance> findInstance(String id) {
            return j.one("SELECT * FROM instances WHERE id = ?", JdbcTx::instance, id);
        }

        @Override
        public List<Instance> listInstances(String appId, Page.Request p) {
            return j.list("SELECT * FROM instances WHERE app_id = ? ORDER BY created_at DESC, id LIMIT ? OFFSET ?", JdbcTx::instance,
                    appId, p.limit() + 1, p.offset());
        }

        private static Instance instance(ResultSet rs) throws SQLException {
            return new Instance(rs.getString("id"), rs.getString("app_id"),
                    InstanceDocument.fromJson(parse(rs.getString("document"), JsonNode.class)), rs.getString("source"),
                    rs.getString("created_by"), Jdbc.instant(rs, "created_at"));
        }

        // ---- rooms
        @Override
        public void insertRoom(Room r) {
            JdbcRoomStore.insert(j, r);
        }

        @Override
        public void updateRoom(Room r) {
            j.exec("UPDATE rooms SET title = ?, stream_key = ?, owner = ?, scheduled_at = ?, updated_at = ? WHERE id = ?",
                    r.title(), r.streamKey(), r.owner(), r.scheduledAt(), r.updatedAt(), r.id());
        }

        @Override
        public Optional<Room> findRoom(String id) {
            return j.one("SELECT " + JdbcRoomStore.COLUMNS + " FROM rooms WHERE id = ?", JdbcRoomStore::room, id);
        }

        @Override
        public List<Room> listRooms(String owner, Page.Request p) {
            return owner == null
                    ? j.list("SELECT " + JdbcRoomStore.COLUMNS + " FROM rooms ORDER BY created_at DESC, id LIMIT ? OFFSET ?",
                    JdbcRoomStore::room, p.limit() + 1, p.offset())
                    : j.list("SELECT " + JdbcRoomStore.COLUMNS + " FROM rooms WHERE owner = ? ORDER BY created_at DESC, id LIMIT ? OFFSET ?",
                    JdbcRoomStore::room, owner, p.limit() + 1, p.offset());
        }

        @Override
        public void upsertRoomDelivery(RoomDelivery d) {
            j.exec("INSERT INTO room_deliveries (room_id, app_id, instance_id, updated_at) VALUES (?, ?, ?, ?)"
                            + " ON CONFLICT (room_id, app_id) DO UPDATE SET instance_id = excluded.instance_id, updated_at = excluded.updated_at",
                    d.roomId(), d.appId(), d.instanceId(), d.updatedAt());
        }

        @Override
        public Optional<RoomDelivery> findRoomDelivery(String roomId, String appId) {
            return j.one("SELECT * FROM room_deliveries WHERE room_id = ? AND app_id = ?", JdbcTx::roomDelivery, roomId, appId);
        }

        @Override
        public List<RoomDelivery> listRoomDeliveries(String roomId) {
            return j.list("SELECT * FROM room_deliveries WHERE room_id = ? ORDER BY app_id", JdbcTx::roomDelivery, roomId);
        }

        @Override
        public List<String> roomsUsingVersion(String versionId) {
            return j.list("SELECT DISTINCT d.room_id FROM room_deliveries d JOIN instance_versions v ON v.instance_id = d.instance_id"
                    + " WHERE v.version_id = ? ORDER BY d.room_id", rs -> rs.getString(1), versionId);
        }

        private static RoomDelivery roomDelivery(ResultSet rs) throws SQLException {
            return new RoomDelivery(rs.getString("room_id"), rs.getString("app_id"), rs.getString("instance_id"), Jdbc.instant(rs, "updated_at"));
        }

        // ---- moderation
        @Override
        public Moderation moderationOf(String roomId) {
            long now = System.currentTimeMillis();
            java.util.Map<String, Long> muted = new java.util.HashMap<>();
            java.util.Set<String> banned = new java.util.HashSet<>();
            List<String> keywords = new ArrayList<>();
            int[] slow = {0};
            boolean[] anonymous = {true};
            j.list("SELECT kind, subject, value FROM room_moderation WHERE room_id = ? ORDER BY kind, subject", rs -> {
                String kind = rs.getString(1);
                String subject = rs.getString(2);
                long value = rs.getLong(3);
                switch (kind) {
                    case "mute" -> {
                        if (value > now) {
                            muted.put(subject, value);
                        }
                    }
                    case "ban" -> banned.add(subject);
                    case "keyword" -> keywords.add(subject);
                    case "slow-mode" -> slow[0] = (int) value;
                    case "no-anonymous" -> anonymous[0] = false;
                    default -> { }
                }
                return null;
            }, roomId);
            return new Moderation(java.util.Map.copyOf(muted), java.util.Set.copyOf(banned), List.copyOf(keywords), slow[0], anonymous[0]);
        }

        @Override
        public void putModeration(String roomId, String kind, String subject, long value) {
            removeModeration(roomId, kind, subject);
            j.exec("INSERT INTO room_moderation (room_id, kind, subject, value) VALUES (?, ?, ?, ?)", roomId, kind, subject, value);
        }

        @Override
        public void removeModeration(String roomId, String kind, String subject) {
            j.exec("DELETE FROM room_moderation WHERE room_id = ? AND kind = ? AND subject = ?", roomId, kind, subject);
        }

        // ---- audit
        @Override
        public void insertAudit(AuditEntry e) {
            j.exec("INSERT INTO audit_log (id, at, actor, action, entity, entity_id, before_json, after_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    e.id(), e.at(), e.actor(), e.action(), e.entity(), e.entityId(), json(e.before()), json(e.after()));
        }

        @Override
        public List<AuditEntry> listAudit(String entity, String entityId, Page.Request p) {
            if (entity == null) {
                return j.list("SELECT * FROM audit_log ORDER BY id DESC LIMIT ? OFFSET ?", JdbcTx::audit, p.limit() + 1, p.offset());
            }
            if (entityId == null) {
                return j.list("SELECT * FROM audit_log WHERE entity = ? ORDER BY id DESC LIMIT ? OFFSET ?", JdbcTx::audit,
                        entity, p.limit() + 1, p.offset());
            }
            return j.list("SELECT * FROM audit_log WHERE entity = ? AND entity_id = ? ORDER BY id DESC LIMIT ? OFFSET ?", JdbcTx::audit,
                    entity, entityId, p.limit() + 1, p.offset());
        }

        private static AuditEntry audit(ResultSet rs) throws SQLException {
            return new AuditEntry(rs.getString("id"), Jdbc.instant(rs, "at"), rs.getString("actor"), rs.getString("action"),
                    rs.getString("entity"), rs.getString("entity_id"), parse(rs.getString("before_json"), JsonNode.class),
                    parse(rs.getString("after_json"), JsonNode.class));
        }
    }
}
