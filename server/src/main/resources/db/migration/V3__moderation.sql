-- Room moderation that lasts: mutes (value: until, epoch ms), bans, filtered keywords, slow mode (value: seconds) and
-- rooms closed to anonymous viewers. Comment deletions are broadcast and audited, not stored here.
CREATE TABLE room_moderation (
    room_id     VARCHAR(32)  NOT NULL REFERENCES rooms (id),
    kind        VARCHAR(16)  NOT NULL,
    subject     VARCHAR(128) NOT NULL,
    value       BIGINT       NOT NULL,
    PRIMARY KEY (room_id, kind, subject)
);
