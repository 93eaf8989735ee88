-- The open platform: keys, host apps, developers, components and versions, deliveries, instances, room deliveries,
-- audit. Portable between SQLite and PostgreSQL: times are epoch milliseconds, JSON is stored as text.
ALTER TABLE rooms ADD COLUMN owner VARCHAR(64);
ALTER TABLE rooms ADD COLUMN scheduled_at BIGINT;
CREATE INDEX rooms_owner ON rooms (owner, created_at);

CREATE TABLE api_keys (
    id          VARCHAR(32)  PRIMARY KEY,
    key_hash    CHAR(64)     NOT NULL UNIQUE,
    role        VARCHAR(16)  NOT NULL,
    scope       VARCHAR(64),
    name        VARCHAR(80)  NOT NULL,
    created_at  BIGINT       NOT NULL,
    revoked_at  BIGINT
);

CREATE TABLE host_apps (
    id                   VARCHAR(32)  PRIMARY KEY,
    name                 VARCHAR(80)  NOT NULL,
    origins              TEXT         NOT NULL,
    secret               VARCHAR(64)  NOT NULL,
    policy               VARCHAR(16)  NOT NULL,
    third_party_consent  INTEGER      NOT NULL,
    created_at           BIGINT       NOT NULL,
    updated_at           BIGINT       NOT NULL
);

CREATE TABLE developers (
    id          VARCHAR(32)  PRIMARY KEY,
    name        VARCHAR(80)  NOT NULL,
    tier        VARCHAR(16)  NOT NULL,
    created_at  BIGINT       NOT NULL
);

CREATE TABLE components (
    id            VARCHAR(200) PRIMARY KEY,
    developer_id  VARCHAR(32)  NOT NULL REFERENCES developers (id),
    name          VARCHAR(80)  NOT NULL,
    kind          VARCHAR(16)  NOT NULL,
    created_at    BIGINT       NOT NULL
);
CREATE INDEX components_developer ON components (developer_id, created_at);

CREATE TABLE component_versions (
    id            VARCHAR(32)  PRIMARY KEY,
    component_id  VARCHAR(200) NOT NULL REFERENCES components (id),
    version       VARCHAR(64)  NOT NULL,
    state         VARCHAR(16)  NOT NULL,
    manifest      TEXT         NOT NULL,
    bundle_hash   CHAR(64)     NOT NULL,
    bundle_size   BIGINT       NOT NULL,
    uploaded_by   VARCHAR(200) NOT NULL,
    uploaded_at   BIGINT       NOT NULL,
    report        TEXT,
    reason        TEXT,
    updated_at    BIGINT       NOT NULL,
    UNIQUE (component_id, version)
);
CREATE INDEX component_versions_state ON component_versions (state, updated_at);

CREATE TABLE deliveries (
    version_id    VARCHAR(32)  NOT NULL REFERENCES component_versions (id),
    app_id        VARCHAR(32)  NOT NULL REFERENCES host_apps (id),
    component_id  VARCHAR(200) NOT NULL,
    version       VARCHAR(64)  NOT NULL,
    state         VARCHAR(16)  NOT NULL,
    reason        TEXT,
    decided_by    VARCHAR(200),
    updated_at    BIGINT       NOT NULL,
    PRIMARY KEY (version_id, app_id)
);
CREATE INDEX deliveries_app ON deliveries (app_id, state, updated_at);

CREATE TABLE instances (
    id          CHAR(64)     PRIMARY KEY,
    app_id      VARCHAR(32)  NOT NULL REFERENCES host_apps (id),
    document    TEXT         NOT NULL,
    source      VARCHAR(8)   NOT NULL,
    created_by  VARCHAR(200) NOT NULL,
    created_at  BIGINT       NOT NULL
);
CREATE INDEX instances_app ON instances (app_id, created_at);

-- which versions each instance holds, so a revocation finds the rooms it must reach
CREATE TABLE instance_versions (
    instance_id  CHAR(64)     NOT NULL REFERENCES instances (id),
    version_id   VARCHAR(32)  NOT NULL REFERENCES component_versions (id),
    PRIMARY KEY (instance_id, version_id)
);
CREATE INDEX instance_versions_version ON instance_versions (version_id);

CREATE TABLE room_deliveries (
    room_id      VARCHAR(32)  NOT NULL REFERENCES rooms (id),
    app_id       VARCHAR(32)  NOT NULL REFERENCES host_apps (id),
    instance_id  CHAR(64)     REFERENCES instances (id),
    updated_at   BIGINT       NOT NULL,
    PRIMARY KEY (room_id, app_id)
);
CREATE INDEX room_deliveries_instance ON room_deliveries (instance_id);

CREATE TABLE audit_log (
    id          VARCHAR(40)  PRIMARY KEY,
    at          BIGINT       NOT NULL,
    actor       VARCHAR(200) NOT NULL,
    action      VARCHAR(40)  NOT NULL,
    entity      VARCHAR(20)  NOT NULL,
    entity_id   VARCHAR(300) NOT NULL,
    before_json TEXT,
    after_json  TEXT
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, id);
