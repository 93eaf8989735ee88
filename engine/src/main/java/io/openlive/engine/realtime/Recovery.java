package io.openlive.engine.realtime;

import java.util.List;

/**
 * What a client reconnecting with {@code since=seq} missed: the messages after {@code seq} in order, or {@code gap} when
 * history no longer reaches back that far (the client must resync). {@code last} is the room's latest sequence number.
 */
public record Recovery(List<RoomMessage> messages, boolean gap, long last) {
}
