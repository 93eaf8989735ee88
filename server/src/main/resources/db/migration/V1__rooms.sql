-- Rooms and the node's settings. Portable between SQLite and PostgreSQL: times are epoch milliseconds.
CREATE TABLE rooms (
    id          VARCHAR(32)  PRIMARY KEY,
    title       VARCHAR(200) NOT NULL,
    stream_key  VARCHAR(64)  NOT NULL UNIQUE,
    state       VARCHAR(16)  NOT NULL,
    created_at  BIGINT       NOT NULL,
    updated_at  BIGINT       NOT NULL
);

CREATE INDEX rooms_created_at ON rooms (created_at);

CREATE TABLE settings (
    name   VARCHAR(64)  PRIMARY KEY,
    value  VARCHAR(512) NOT NULL
);
