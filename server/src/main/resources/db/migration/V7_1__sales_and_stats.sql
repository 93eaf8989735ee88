-- Sales a host app made through its own cart and reports for attribution, and the room statistics that survive
-- restarts and add up across nodes: viewer samples (10 s buckets, one row per node), each viewer's first visit and watch
-- time, and counters per minute (comments, likes, gifts, component calls). Orders are counted from the orders table.
CREATE TABLE host_sales (
    id           VARCHAR(40)  PRIMARY KEY,
    room_id      VARCHAR(32)  NOT NULL REFERENCES rooms (id),
    app_id       VARCHAR(32)  NOT NULL,
    external_id  VARCHAR(128) NOT NULL,
    product_id   VARCHAR(32),
    viewer_id    VARCHAR(128),
    component    VARCHAR(64),
    quantity     INTEGER      NOT NULL,
    amount       BIGINT       NOT NULL,
    currency     CHAR(3)      NOT NULL,
    sold_at      BIGINT       NOT NULL,
    reported_at  BIGINT       NOT NULL,
    UNIQUE (app_id, external_id)
);
CREATE INDEX host_sales_room ON host_sales (room_id, sold_at);

CREATE TABLE viewer_samples (
    room_id   VARCHAR(32)  NOT NULL,
    app_id    VARCHAR(32)  NOT NULL,
    bucket    BIGINT       NOT NULL,
    node      VARCHAR(32)  NOT NULL,
    viewers   INTEGER      NOT NULL,
    PRIMARY KEY (room_id, app_id, bucket, node)
);

CREATE TABLE room_viewers (
    room_id     VARCHAR(32)  NOT NULL,
    app_id      VARCHAR(32)  NOT NULL,
    viewer_id   VARCHAR(128) NOT NULL,
    first_seen  BIGINT       NOT NULL,
    watch_ms    BIGINT       NOT NULL,
    PRIMARY KEY (room_id, app_id, viewer_id)
);

CREATE TABLE room_counts (
    room_id    VARCHAR(32)  NOT NULL,
    app_id     VARCHAR(32)  NOT NULL,
    component  VARCHAR(64)  NOT NULL,
    minute     BIGINT       NOT NULL,
    kind       VARCHAR(16)  NOT NULL,
    n          BIGINT       NOT NULL,
    PRIMARY KEY (room_id, app_id, component, minute, kind)
);
