package io.openlive.engine.analytics;

import java.util.List;
import java.util.Optional;

/**
 * Durable room statistics, added to by every node and summed when read. Samples are one row per 10 s bucket, room, app
 * and node; viewers one row per room, app and viewer (first visit, watch time added up); counters one row per minute,
 * room, app, component and kind, added to. Implementations block (JDBC).
 */
public interface StatsStore {
    /** Concurrent viewers one node saw in a room through one app ({@code ""}: media players not attributed to an app). */
    record Sample(String roomId, String appId, long bucket, int viewers) {
    }

    /** Watch time a viewer added since the last flush; {@code firstSeen} is kept only for a viewer not seen before. */
    record Watch(String roomId, String appId, String viewerId, long firstSeen, long watchMillis) {
    }

    /** Events counted per minute: {@code kind} comments, likes, gifts or calls; {@code component} "" for none. */
    record Count(String roomId, String appId, String component, long minute, String kind, long n) {
    }

    /** Everything one node flushes at once, in one transaction. */
    record Flush(String node, List<Sample> samples, List<Watch> watches, List<Count> counts) {
    }

    /** A per-bucket sum over nodes. */
    record Point(String appId, long bucket, long viewers) {
    }

    /** Viewers of a component version per 10 s bucket summed over nodes: for one app and {@code key} (a version, or a room). */
    record ViewRow(String appId, String key, long bucket, long viewers) {
    }

    record AudienceRow(String appId, long uniqueViewers, long watchMillis) {
    }

    record CountRow(String appId, String component, String kind, long n) {
    }

    /** Orders (or reported sales) per app, component and currency. */
    record SalesRow(String appId, String component, String currency, long orders, long units, long amount) {
    }

    /** A sale the host app made through its own cart, reported for attribution. */
    record HostSale(String id, String roomId, String appId, String externalId, String productId, String viewerId,
                    String component, int quantity, long amount, String currency, long soldAt, long reportedAt) {
    }

    void flush(Flush f);

    /**
     * Rolls samples older than {@code before} up to one per minute, node, room and app: the node's highest count of
     * that minute. Safe to run on several nodes at once. Answers how many 10 s rows were folded.
     */
    int rollUp(long before);

    /** Sums over nodes per app and 10 s bucket in {@code [from, to)}. */
    List<Point> points(String roomId, long from, long to);

    List<AudienceRow> audience(String roomId);

    /** Viewers of each component version bound in the room, per app, version (in {@code key}) and bucket in {@code [from, to)}. */
    List<ViewRow> componentViews(String roomId, long from, long to);

    /** Viewers of one version across rooms, per app, room (in {@code key}) and bucket. */
    List<ViewRow> versionViews(String versionId);

    List<CountRow> counts(String roomId, long from, long to);

    /** Live (pending or paid) orders created in {@code [from, to)}. */
    List<SalesRow> orders(String roomId, long from, long to);

    List<SalesRow> hostSales(String roomId, long from, long to);

    /** Component calls of one version across rooms, by app and room (in {@code component}). */
    List<CountRow> componentCounts(String versionId);

    /** Live orders through one version across rooms, by app, room (in {@code component}) and currency. */
    List<SalesRow> componentOrders(String versionId);

    /** Sales host apps reported through one version, grouped as {@link #componentOrders}. */
    List<SalesRow> componentReported(String versionId);

    /** Stores a reported sale; an existing one with the same app and external id is answered instead. */
    HostSale reportSale(HostSale sale);

    /** The room's owner ({@code ""} when none); empty when there is no such room. */
    Optional<String> roomOwner(String roomId);

    /** Followers of {@code followee} now, per host app (the follows table, not bound to a time range). */
    java.util.Map<String, Long> followers(io.openlive.engine.follow.Followee followee);

    List<String> roomApps(String roomId);
}
