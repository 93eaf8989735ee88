package io.openlive.engine.room;

/** Where a room is in its life: created and waiting, streaming, or over. */
public enum RoomState {
    SCHEDULED, LIVE, ENDED;

    @com.fasterxml.jackson.annotation.JsonValue
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
