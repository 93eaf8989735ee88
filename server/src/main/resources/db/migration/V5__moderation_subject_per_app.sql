-- Mutes and bans name a viewer within one host app ("app_…/u-1"): app A's u-1 and app B's u-1 are different people.
-- The subject grows to hold the app id; the table is rebuilt because SQLite cannot widen a column in place.
CREATE TABLE room_moderation_v5 (
    room_id     VARCHAR(32)  NOT NULL REFERENCES rooms (id),
    kind        VARCHAR(16)  NOT NULL,
    subject     VARCHAR(200) NOT NULL,
    value       BIGINT       NOT NULL,
    PRIMARY KEY (room_id, kind, subject)
);
INSERT INTO room_moderation_v5 (room_id, kind, subject, value) SELECT room_id, kind, subject, value FROM room_moderation;
DROP TABLE room_moderation;
ALTER TABLE room_moderation_v5 RENAME TO room_moderation;
