package io.openlive.engine.platform;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Platform review (approve, reject, revoke) and per-app delivery: approval creates a delivery in every host app by its
 * policy ({@code direct}: live at once; {@code review}: pending for the app's reviewers); revocation is the kill switch.
 */
public final class Review {
    /** What a host app's reviewer decides about a delivery. */
    public enum Decision { APPROVE, REJECT, REVOKE }

    private final PlatformContext ctx;

    Review(PlatformContext ctx) {
        this.ctx = ctx;
    }

    /** One platform review step on a version the principal may see: checked, stored and audited. */
    private ComponentVersion move(PlatformStore.Tx tx, Principal p, String versionId, VersionState next, String reason, String action) {
        ComponentVersion before = Versions.visible(tx, p, versionId);
        Versions.requireMove(before, next);
        ComponentVersion after = before.withState(next, reason, ctx.now());
        tx.updateVersion(after);
        ctx.audit(tx, p, action, "version", versionId, before, after);
        return after;
    }

    public ComponentVersion approve(Principal p, String versionId, String reason) {
        requireReviewer(p);
        List<Delivery> live = new ArrayList<>();
        ComponentVersion result = ctx.store().transact(tx -> {
            ComponentVersion after = move(tx, p, versionId, VersionState.APPROVED, reason, "version.approve");
            for (HostApp app : tx.allApps()) {
                Delivery d = deliver(tx, p, after, app);
                if (d.state() == DeliveryState.LIVE) {
                    live.add(d);
                }
            }
            return after;
        });
        live.forEach(d -> ctx.events().versionLive(d.versionId(), d.appId()));
        return result;
    }

    public ComponentVersion reject(Principal p, String versionId, String reason) {
        requireReviewer(p);
        String why = PlatformContext.requireText(reason, "reason", 2000);
        return ctx.store().transact(tx -> move(tx, p, versionId, VersionState.REJECTED, why, "version.reject"));
    }

    /** The kill switch: the version leaves every host app, instance and room. */
    public ComponentVersion revoke(Principal p, String versionId, String reason) {
        requireReviewer(p);
        String why = PlatformContext.requireText(reason, "reason", 2000);
        Set<String> rooms = new HashSet<>();
        ComponentVersion result = ctx.store().transact(tx -> {
            ComponentVersion after = move(tx, p, versionId, VersionState.REVOKED, why, "version.revoke");
            for (Delivery d : tx.deliveriesOfVersion(versionId)) {
                if (d.state() != DeliveryState.REVOKED) {
                    Delivery revoked = d.with(DeliveryState.REVOKED, why, p.name(), ctx.now());
                    tx.upsertDelivery(revoked);
                    ctx.audit(tx, p, "delivery.revoke", "delivery", versionId + "@" + d.appId(), d, revoked);
                }
            }
            rooms.addAll(tx.roomsUsingVersion(versionId));
            return after;
        });
        ctx.events().versionRevoked(versionId, result.componentId(), Set.copyOf(rooms));
        return result;
    }

    /** A host app's reviewer decides a delivery in that app. */
    public Delivery decide(Principal p, String appId, String versionId, Decision decision, String reason) {
        if (!p.actsFor(Role.APP_REVIEWER, appId)) {
            throw PlatformException.forbidden("only the host app's reviewers (or an admin) decide its deliveries");
        }
        Set<String> rooms = new HashSet<>();
        Delivery result = ctx.store().transact(tx -> {
            tx.findApp(appId).orElseThrow(() -> PlatformException.notFound("APP", appId));
            Delivery before = tx.findDelivery(versionId, appId)
                    .orElseThrow(() -> PlatformException.notFound("DELIVERY", versionId + " in " + appId));
            DeliveryState next = switch (decision) {
                case APPROVE -> require(before, DeliveryState.PENDING, DeliveryState.LIVE);
                case REJECT -> require(before, DeliveryState.PENDING, DeliveryState.REJECTED);
                case REVOKE -> require(before, DeliveryState.LIVE, DeliveryState.REVOKED);
            };
            if (next == DeliveryState.LIVE && tx.findVersion(versionId).orElseThrow().state() != VersionState.APPROVED) {
                throw PlatformException.conflict("INVALID_STATE", "version " + versionId + " is no longer approved");
            }
            String why = decision == Decision.APPROVE ? reason : PlatformContext.requireText(reason, "reason", 2000);
            Delivery after = before.with(next, why, p.name(), ctx.now());
            tx.upsertDelivery(after);
            ctx.audit(tx, p, "delivery." + decision.name().toLowerCase(java.util.Locale.ROOT), "delivery",
                    versionId + "@" + appId, before, after);
            if (next == DeliveryState.REVOKED) {
                tx.roomsUsingVersion(versionId).stream()
                        .filter(room -> tx.findRoomDelivery(room, appId).isPresent()).forEach(rooms::add);
            }
            return after;
        });
        if (result.state() == DeliveryState.LIVE) {
            ctx.events().versionLive(versionId, appId);
        } else if (result.state() == DeliveryState.REVOKED) {
            ctx.events().deliveryRevoked(versionId, result.componentId(), appId, Set.copyOf(rooms));
        }
        return result;
    }

    public Page<Delivery> deliveries(Principal p, String appId, String state, Page.Request page) {
        DeliveryState s = state == null || state.isEmpty() ? null : DeliveryState.fromWire(state);
        return ctx.store().transact(tx -> {
            HostApps.visible(tx, p, appId);
            return Page.of(tx.listDeliveries(appId, s, page), page);
        });
    }

    /** Called in the approving transaction, and when a new app joins: one delivery per approved version. */
    List<Delivery> deliverApproved(PlatformStore.Tx tx, Principal p, HostApp app) {
        List<Delivery> live = new ArrayList<>();
        Page.Request all = new Page.Request(100_000, 0);
        for (ComponentVersion v : tx.listVersionsInState(VersionState.APPROVED, all)) {
            Delivery d = deliver(tx, p, v, app);
            if (d.state() == DeliveryState.LIVE) {
                live.add(d);
            }
        }
        return live;
    }

    private Delivery deliver(PlatformStore.Tx tx, Principal p, ComponentVersion v, HostApp app) {
        DeliveryState state = app.policy() == DeliveryPolicy.DIRECT ? DeliveryState.LIVE : DeliveryState.PENDING;
        String reason = null;
        String needsConsent = needsConsent(tx, v);
        if (needsConsent != null && !app.thirdPartyConsent()) {
            state = DeliveryState.REJECTED;
            reason = "asks for " + needsConsent + ", which third-party components get only in host apps that consent";
        }
        // a pending delivery waits for the host app's reviewer: nobody has decided it yet
        String decidedBy = state == DeliveryState.PENDING ? null : p.name();
        Delivery d = new Delivery(v.id(), v.componentId(), v.version(), app.id(), state, reason, decidedBy, ctx.now());
        tx.upsertDelivery(d);
        ctx.audit(tx, p, "delivery.create", "delivery", v.id() + "@" + app.id(), null, d);
        return d;
    }

    /** The first permission the version holds only with a host app's consent, or null. */
    private static String needsConsent(PlatformStore.Tx tx, ComponentVersion v) {
        Component c = tx.findComponent(v.componentId()).orElseThrow();
        Tier tier = tx.findDeveloper(c.developerId()).orElseThrow().tier();
        return v.manifest().permissions().stream()
                .filter(perm -> Permission.access(perm, tier).orElse(Permission.Access.DENIED) == Permission.Access.CONSENT)
                .findFirst().orElse(null);
    }

    private static DeliveryState require(Delivery d, DeliveryState from, DeliveryState to) {
        if (d.state() != from) {
            throw PlatformException.conflict("INVALID_STATE", "delivery of " + d.versionId() + " in " + d.appId() + " is "
                    + d.state().wire() + ", not " + from.wire());
        }
        return to;
    }

    private static void requireReviewer(Principal p) {
        if (!p.reviews()) {
            throw PlatformException.forbidden("only platform reviewers approve, reject or revoke versions");
        }
    }
}
