package io.openlive.engine.platform;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.openlive.engine.room.Room;
import io.openlive.engine.room.RoomIds;
import io.openlive.engine.room.RoomState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Rooms as the platform sees them: owner, schedule, the host apps a room is delivered to and the instance bound in
 * each, and what a {@code <live-room>} container in one app loads (only versions live in that app).
 */
public final class PlatformRooms {
    /** A room for the API; the stream key only for its owner and admins. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record View(String id, String title, RoomState state, String owner, Instant scheduledAt, String streamKey,
                       List<RoomDelivery> deliveries, Instant createdAt, Instant updatedAt) {
    }

    /** What a container in one host app mounts: the room, the app, and the live parts of the bound instance. */
    public record Container(String roomId, String title, RoomState state, String appId, String appName, String instanceId,
                            List<LivePart> parts) {
    }

    /** One mounted version with what the container enforces from its manifest. */
    public record LivePart(String kind, String versionId, String component, String version, String slot, JsonNode config,
                           String entry, List<String> permissions, List<String> subscribes, List<String> emits,
                           int width, int height) {
    }

    private final PlatformContext ctx;

    PlatformRooms(PlatformContext ctx) {
        this.ctx = ctx;
    }

    public View create(Principal p, String title, Instant scheduledAt, List<String> appIds) {
        if (!p.isAdmin() && !p.is(Role.BROADCASTER)) {
            throw PlatformException.forbidden("only broadcasters (and admins) create rooms");
        }
        String t = PlatformContext.requireText(title, "title", 200);
        Set<String> apps = new LinkedHashSet<>(appIds == null ? List.of() : appIds);
        Instant now = ctx.now();
        Room room = new Room(RoomIds.newRoomId(), t, RoomIds.newStreamKey(), RoomState.SCHEDULED,
                p.is(Role.BROADCASTER) ? p.scope() : null, scheduledAt, now, now);
        return ctx.store().transact(tx -> {
            tx.insertRoom(room);
            ctx.audit(tx, p, "room.create", "room", room.id(), null, view(room, List.of(), false));
            for (String appId : apps) {
                tx.findApp(appId).orElseThrow(() -> PlatformException.notFound("APP", appId));
                RoomDelivery d = new RoomDelivery(room.id(), appId, null, now);
                tx.upsertRoomDelivery(d);
                ctx.audit(tx, p, "room.deliver", "room", room.id(), null, d);
            }
            return view(room, tx.listRoomDeliveries(room.id()), true);
        });
    }

    public View get(Principal p, String id) {
        return ctx.store().transact(tx -> {
            Room r = tx.findRoom(id).orElseThrow(() -> PlatformException.notFound("ROOM", id));
            List<RoomDelivery> deliveries = tx.listRoomDeliveries(id);
            boolean owns = owns(p, r);
            boolean appSees = (p.is(Role.APP_OPERATOR) || p.is(Role.APP_REVIEWER))
                    && deliveries.stream().anyMatch(d -> d.appId().equals(p.scope()));
            if (!owns && !p.reviews() && !appSees) {
                throw PlatformException.notFound("ROOM", id);
            }
            if (!owns && !p.reviews()) {
                // an app's operator or reviewer sees its own delivery, not which other apps the room is delivered to
                deliveries = deliveries.stream().filter(d -> d.appId().equals(p.scope())).toList();
            }
            return view(r, deliveries, owns);
        });
    }

    public Page<View> list(Principal p, Page.Request page) {
        if (!p.reviews() && !p.is(Role.BROADCASTER)) {
            throw PlatformException.forbidden("a " + p.role().wire() + " key cannot list rooms");
        }
        String owner = p.is(Role.BROADCASTER) ? p.scope() : null;
        return ctx.store().transact(tx -> {
            List<View> views = new ArrayList<>();
            for (Room r : tx.listRooms(owner, page)) {
                views.add(view(r, tx.listRoomDeliveries(r.id()), owns(p, r)));
            }
            return Page.of(views, page);
        });
    }

    /**
     * Delivers the room to a host app and binds one of that app's instances (or none). The room's owner adds apps; the
     * app's operator may bind its own instance in a room already delivered to it.
     */
    public RoomDelivery deliver(Principal p, String roomId, String appId, String instanceId) {
        RoomDelivery result = ctx.store().transact(tx -> {
            Room r = tx.findRoom(roomId).orElseThrow(() -> PlatformException.notFound("ROOM", roomId));
            RoomDelivery before = tx.findRoomDelivery(roomId, appId).orElse(null);
            boolean operator = p.is(Role.APP_OPERATOR) && appId.equals(p.scope()) && before != null;
            if (!owns(p, r) && !operator) {
                // those who may see the room learn why they may not change it; to anyone else it does not exist
                boolean sees = p.reviews() || ((p.is(Role.APP_OPERATOR) || p.is(Role.APP_REVIEWER))
                        && tx.findRoomDelivery(roomId, p.scope()).isPresent());
                throw sees ? PlatformException.forbidden("only the room's owner delivers it to host apps; an app's operator binds instances in rooms delivered to it")
                        : PlatformException.notFound("ROOM", roomId);
            }
            tx.findApp(appId).orElseThrow(() -> PlatformException.notFound("APP", appId));
            if (instanceId != null) {
                Instance i = tx.findInstance(instanceId).orElseThrow(() -> PlatformException.notFound("INSTANCE", instanceId));
                if (!i.appId().equals(appId)) {
                    throw PlatformException.invalid("INSTANCE_APP_MISMATCH", "instance " + instanceId + " was built for another host app");
                }
                List<String> notLive = Instances.notLive(tx, i);
                if (!notLive.isEmpty()) {
                    throw PlatformException.invalid("VERSION_NOT_LIVE", "instance holds versions no longer live in " + appId + ": " + String.join(", ", notLive));
                }
            }
            RoomDelivery after = new RoomDelivery(roomId, appId, instanceId, ctx.now());
            tx.upsertRoomDelivery(after);
            ctx.audit(tx, p, "room.deliver", "room", roomId, before, after);
            return after;
        });
        ctx.events().roomDelivered(roomId, appId, instanceId);
        return result;
    }

    public View rotateStreamKey(Principal p, String roomId) {
        return ctx.store().transact(tx -> {
            Room r = tx.findRoom(roomId).orElseThrow(() -> PlatformException.notFound("ROOM", roomId));
            if (!owns(p, r)) {
                throw PlatformException.notFound("ROOM", roomId);
            }
            Room after = new Room(r.id(), r.title(), RoomIds.newStreamKey(), r.state(), r.owner(), r.scheduledAt(), r.createdAt(), ctx.now());
            tx.updateRoom(after);
            ctx.audit(tx, p, "room.rotate-stream-key", "room", roomId, view(r, List.of(), false), view(after, List.of(), false));
            return view(after, tx.listRoomDeliveries(roomId), true);
        });
    }

    /** Public: what {@code <live-room room app>} mounts; versions no longer live in the app are left out at once. */
    public Container container(String roomId, String appId) {
        return ctx.store().transact(tx -> {
            Room r = tx.findRoom(roomId).orElseThrow(() -> PlatformException.notFound("ROOM", roomId));
            RoomDelivery d = tx.findRoomDelivery(roomId, appId)
                    .orElseThrow(() -> PlatformException.notFound("ROOM", roomId + " in host app " + appId));
            HostApp app = tx.findApp(appId).orElseThrow();
            List<LivePart> parts = new ArrayList<>();
            if (d.instanceId() != null) {
                Instance i = tx.findInstance(d.instanceId()).orElseThrow();
                List<InstanceDocument.Part> all = new ArrayList<>();
                all.add(i.document().plugin());
                all.addAll(i.document().components());
                for (InstanceDocument.Part part : all) {
                    if (Instances.isLive(tx, part.versionId(), appId)) {
                        Manifest m = tx.findVersion(part.versionId()).orElseThrow().manifest();
                        parts.add(new LivePart(m.kind(), part.versionId(), part.component(), part.version(), part.slot(), part.config(),
                                m.entry(), m.permissions(), m.subscribes(), m.emits(), m.width(), m.height()));
                    }
                }
            }
            return new Container(r.id(), r.title(), r.state(), appId, app.name(), d.instanceId(), List.copyOf(parts));
        });
    }

    private static boolean owns(Principal p, Room r) {
        return p.isAdmin() || (p.is(Role.BROADCASTER) && r.owner() != null && r.owner().equals(p.scope()));
    }

    private static View view(Room r, List<RoomDelivery> deliveries, boolean withKey) {
        return new View(r.id(), r.title(), r.state(), r.owner(), r.scheduledAt(), withKey ? r.streamKey() : null, deliveries,
                r.createdAt(), r.updatedAt());
    }
}
