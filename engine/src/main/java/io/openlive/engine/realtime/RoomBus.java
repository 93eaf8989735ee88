package io.openlive.engine.realtime;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * How a room's messages, counters and presence travel between the nodes that serve its viewers. In memory for one node
 * (default), or Redis for many. Listeners may be called on any thread; they must hand off to their own.
 */
public interface RoomBus extends AutoCloseable {
    /** Takes the room's next sequence number, keeps the message in history, and delivers it to every node in order. */
    CompletionStage<RoomMessage> publish(String roomId, String topic, Priority priority, JsonNode data);

    /** Delivers to every node without a sequence number or history (like totals, presence). */
    CompletionStage<Void> publishEphemeral(String roomId, String topic, JsonNode data);

    /** Starts delivering the room's messages from every node to {@code listener} (one listener per room per node). */
    CompletionStage<Void> subscribe(String roomId, Consumer<RoomMessage> listener);

    CompletionStage<Void> unsubscribe(String roomId);

    /** The messages after {@code seq}, or a gap when history does not reach back that far. */
    CompletionStage<Recovery> since(String roomId, long seq);

    /** Adds likes and returns the room's total. */
    CompletionStage<Long> addLikes(String roomId, long delta);

    /** This node's viewers in the room per host app; forgotten if not refreshed within {@link BusConfig#presenceTtlMillis}. */
    CompletionStage<Void> reportPresence(String nodeId, String roomId, Map<String, Integer> perApp);

    /** Viewers per host app summed over live nodes. */
    CompletionStage<Map<String, Integer>> presence(String roomId);

    /** True while this node receives every room's messages (for readiness); a bus in this process always does. */
    default boolean isConnected() {
        return true;
    }

    /** Times this node lost its connection to the bus and made it again. */
    default long reconnects() {
        return 0;
    }

    @Override
    void close();
}
