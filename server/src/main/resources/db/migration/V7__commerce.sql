-- Commerce: products (owned by a broadcaster or a host app), the products attached to a room and the pinned one, carts,
-- orders with their idempotency keys, per-app commerce settings, and the webhook outbox. Portable between SQLite and
-- PostgreSQL: times are epoch milliseconds, money is an integer in minor units of an ISO 4217 currency.
CREATE TABLE products (
    id               VARCHAR(32)   PRIMARY KEY,
    owner_kind       VARCHAR(16)   NOT NULL,
    owner_id         VARCHAR(64)   NOT NULL,
    title            VARCHAR(200)  NOT NULL,
    image            VARCHAR(2048),
    price            BIGINT        NOT NULL,
    currency         CHAR(3)       NOT NULL,
    -- units left to sell; NULL for unlimited. Decremented by a conditional UPDATE in the order's transaction.
    stock            BIGINT,
    per_viewer_limit INTEGER,
    active           INTEGER       NOT NULL,
    created_at       BIGINT        NOT NULL,
    updated_at       BIGINT        NOT NULL,
    CHECK (stock IS NULL OR stock >= 0)
);
CREATE INDEX products_owner ON products (owner_kind, owner_id, created_at);

CREATE TABLE room_products (
    room_id     VARCHAR(32)  NOT NULL REFERENCES rooms (id),
    product_id  VARCHAR(32)  NOT NULL REFERENCES products (id),
    attached_at BIGINT       NOT NULL,
    PRIMARY KEY (room_id, product_id)
);

CREATE TABLE room_pins (
    room_id     VARCHAR(32)  PRIMARY KEY REFERENCES rooms (id),
    product_id  VARCHAR(32)  NOT NULL REFERENCES products (id),
    pinned_at   BIGINT       NOT NULL
);

CREATE TABLE carts (
    app_id      VARCHAR(32)  NOT NULL,
    viewer_id   VARCHAR(128) NOT NULL,
    room_id     VARCHAR(32)  NOT NULL,
    product_id  VARCHAR(32)  NOT NULL REFERENCES products (id),
    quantity    INTEGER      NOT NULL,
    updated_at  BIGINT       NOT NULL,
    PRIMARY KEY (app_id, viewer_id, room_id, product_id)
);

CREATE TABLE orders (
    id              VARCHAR(40)  PRIMARY KEY,
    room_id         VARCHAR(32)  NOT NULL,
    app_id          VARCHAR(32)  NOT NULL,
    viewer_id       VARCHAR(128) NOT NULL,
    component       VARCHAR(64),
    product_id      VARCHAR(32)  NOT NULL REFERENCES products (id),
    quantity        INTEGER      NOT NULL,
    amount          BIGINT       NOT NULL,
    currency        CHAR(3)      NOT NULL,
    status          VARCHAR(16)  NOT NULL,
    idempotency_key VARCHAR(128) NOT NULL,
    created_at      BIGINT       NOT NULL,
    expires_at      BIGINT       NOT NULL,
    updated_at      BIGINT       NOT NULL,
    CHECK (quantity > 0),
    UNIQUE (app_id, viewer_id, idempotency_key)
);
CREATE INDEX orders_viewer_product ON orders (app_id, viewer_id, product_id, status);
CREATE INDEX orders_pending ON orders (status, expires_at);
CREATE INDEX orders_room ON orders (room_id, created_at);

CREATE TABLE app_commerce (
    app_id          VARCHAR(32)  PRIMARY KEY,
    host_cart       INTEGER      NOT NULL,
    webhook_url     VARCHAR(2048),
    webhook_secret  VARCHAR(64),
    updated_at      BIGINT       NOT NULL
);

-- Order events for host apps' webhooks, written in the transaction that changes the order; delivered later, in order,
-- with retries (next_attempt_at), until delivered_at is set.
CREATE TABLE outbox (
    id               VARCHAR(40)   PRIMARY KEY,
    app_id           VARCHAR(32)   NOT NULL,
    type             VARCHAR(32)   NOT NULL,
    body             TEXT          NOT NULL,
    created_at       BIGINT        NOT NULL,
    attempts         INTEGER       NOT NULL,
    next_attempt_at  BIGINT        NOT NULL,
    delivered_at     BIGINT,
    last_error       VARCHAR(300)
);
CREATE INDEX outbox_due ON outbox (delivered_at, next_attempt_at);
