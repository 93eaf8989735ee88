-- Viewers following a room's broadcaster (followee_kind 'broadcaster', followee_id the room's owner) or, for a room no
-- broadcaster owns, the room itself ('room', the room id). Viewer ids are their host app's, so a follow is per app.
-- The primary key makes following twice one follow. room_id: the room the viewer followed from.
CREATE TABLE follows (
    followee_kind  VARCHAR(16)  NOT NULL,
    followee_id    VARCHAR(64)  NOT NULL,
    app_id         VARCHAR(32)  NOT NULL,
    viewer_id      VARCHAR(128) NOT NULL,
    room_id        VARCHAR(32)  NOT NULL,
    created_at     BIGINT       NOT NULL,
    PRIMARY KEY (followee_kind, followee_id, app_id, viewer_id)
);
