-- Outside RTMP/RTMPS destinations a room pushes its live stream to. The stream key is a secret: the API only ever shows
-- it masked, and it is never logged. `enabled` says whether the destination is pushed whenever the room is live.
CREATE TABLE restreams (
    id          VARCHAR(40)   PRIMARY KEY,
    room_id     VARCHAR(32)   NOT NULL REFERENCES rooms (id),
    url         VARCHAR(1024) NOT NULL,
    stream_key  VARCHAR(512)  NOT NULL,
    enabled     BOOLEAN       NOT NULL,
    created_at  BIGINT        NOT NULL
);
CREATE INDEX restreams_room ON restreams (room_id);
