package io.openlive.engine.platform;

import io.openlive.engine.room.Room;

/**
 * Who may do what with a room's recordings, and their audit trail: the room's owner (a broadcaster) and admins change
 * and delete; reviewers also read. A room another tenant owns is "not found", so ids never leak across tenants. Usage:
 * {@code access.authorize(principal, roomId, true); … access.audit(principal, "room.recording", roomId, before, after);}
 */
public final class RoomRecordingAccess {
    private final PlatformContext ctx;

    RoomRecordingAccess(PlatformContext ctx) {
        this.ctx = ctx;
    }

    /** Throws {@link PlatformException} (not found) unless {@code p} may read, or with {@code change} change, the room's recordings. */
    public void authorize(Principal p, String roomId, boolean change) {
        ctx.store().transact(tx -> {
            Room r = tx.findRoom(roomId).orElseThrow(() -> PlatformException.notFound("ROOM", roomId));
            boolean owns = p.isAdmin() || (p.is(Role.BROADCASTER) && r.owner() != null && r.owner().equals(p.scope()));
            if (!owns && !(p.reviews() && !change)) {
                if (p.reviews()) {
                    throw PlatformException.forbidden("only the room's owner and admins change its recordings");
                }
                throw PlatformException.notFound("ROOM", roomId);
            }
            return null;
        });
    }

    public void audit(Principal p, String action, String roomId, Object before, Object after) {
        ctx.store().transact(tx -> {
            ctx.audit(tx, p, action, "room", roomId, before, after);
            return null;
        });
    }
}
