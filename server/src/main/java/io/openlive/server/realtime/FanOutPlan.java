package io.openlive.server.realtime;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.openlive.engine.realtime.RoomMessage;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who a room's batch goes to, arranged for delivery: connections grouped by subscription set (each group shares one
 * frame) and by the event loop of their socket (each loop gets one task per batch, which writes the frame to each of
 * its connections and flushes each once). Writing from the room's loop to sockets of other loops would cost a task and
 * a wake-up per write and per flush instead.
 *
 * <p>Immutable once made: made on the room's loop after joins, leaves or subscription changes, read by the loops'
 * tasks. Usage: {@code plan.deliver(frames, selected, now)} with one frame (or null) per {@link #groups()} entry.
 */
final class FanOutPlan {
    /** One connection of each subscription set, the set's representative, in group order. */
    private final List<RealtimeConnection> groups;
    private final List<LoopShare> loops;

    /** The connections whose socket is on one event loop, each with the index of its group. */
    private record LoopShare(EventLoop loop, RealtimeConnection[] connections, int[] group) {
    }

    private FanOutPlan(List<RealtimeConnection> groups, List<LoopShare> loops) {
        this.groups = groups;
        this.loops = loops;
    }

    /** The plan for the connections that take live batches (neither closed nor still recovering). */
    static FanOutPlan of(Collection<RealtimeConnection> connections) {
        Map<String, Integer> groupOf = new HashMap<>();
        List<RealtimeConnection> heads = new ArrayList<>();
        Map<EventLoop, List<RealtimeConnection>> byLoop = new LinkedHashMap<>();
        Map<EventLoop, List<Integer>> groupsByLoop = new HashMap<>();
        for (RealtimeConnection c : connections) {
            if (c.closed || c.recovering != null) {
                continue;
            }
            Integer g = groupOf.get(c.subscriptionKey());
            if (g == null) {
                g = heads.size();
                groupOf.put(c.subscriptionKey(), g);
                heads.add(c);
            }
            byLoop.computeIfAbsent(c.loop, l -> new ArrayList<>()).add(c);
            groupsByLoop.computeIfAbsent(c.loop, l -> new ArrayList<>()).add(g);
        }
        List<LoopShare> loops = new ArrayList<>(byLoop.size());
        byLoop.forEach((loop, list) -> {
            List<Integer> g = groupsByLoop.get(loop);
            int[] group = new int[g.size()];
            for (int i = 0; i < group.length; i++) {
                group[i] = g.get(i);
            }
            loops.add(new LoopShare(loop, list.toArray(RealtimeConnection[]::new), group));
        });
        return new FanOutPlan(List.copyOf(heads), List.copyOf(loops));
    }

    List<RealtimeConnection> groups() {
        return groups;
    }

    /** Event loops with connections in this plan. */
    int loops() {
        return loops.size();
    }

    /**
     * Hands each loop its task. {@code frames[g]} (null: nothing for group g) and {@code selected[g]}, the messages in
     * it, follow {@link #groups()}; the caller keeps its own reference to each frame and releases it after this returns.
     */
    void deliver(ByteBuf[] frames, List<List<RoomMessage>> selected, long nowMillis) {
        for (LoopShare share : loops) {
            for (ByteBuf f : frames) {
                if (f != null) {
                    f.retain();
                }
            }
            Runnable task = () -> {
                try {
                    RealtimeConnection[] connections = share.connections();
                    int[] group = share.group();
                    for (int i = 0; i < connections.length; i++) {
                        ByteBuf frame = frames[group[i]];
                        if (frame != null) {
                            connections[i].deliver(frame, selected.get(group[i]), nowMillis);
                        }
                    }
                } finally {
                    for (ByteBuf f : frames) {
                        if (f != null) {
                            f.release();
                        }
                    }
                }
            };
            if (share.loop().inEventLoop()) {
                task.run();
                continue;
            }
            try {
                share.loop().execute(task);
            } catch (java.util.concurrent.RejectedExecutionException e) { // the loop is shutting down with the node
                for (ByteBuf f : frames) {
                    if (f != null) {
                        f.release();
                    }
                }
            }
        }
    }
}
