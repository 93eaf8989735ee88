-- Views of component versions: at every viewer sample (10 s, one row per node) each version in the instance bound to
-- the room for the app gets that app's viewers in the room; summed over nodes when read, rolled up to minutes like
-- viewer_samples.
CREATE TABLE component_views (
    room_id     VARCHAR(32)  NOT NULL,
    app_id      VARCHAR(32)  NOT NULL,
    version_id  VARCHAR(32)  NOT NULL,
    bucket      BIGINT       NOT NULL,
    node        VARCHAR(32)  NOT NULL,
    viewers     INTEGER      NOT NULL,
    PRIMARY KEY (room_id, app_id, version_id, bucket, node)
);
CREATE INDEX component_views_version ON component_views (version_id, bucket);
