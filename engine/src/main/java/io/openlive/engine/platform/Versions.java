package io.openlive.engine.platform;

import java.util.List;

/** Reading versions, and who may see one: its developer, reviewers, and the host apps it was delivered to. */
public final class Versions {
    private final PlatformContext ctx;

    Versions(PlatformContext ctx) {
        this.ctx = ctx;
    }

    public ComponentVersion get(Principal p, String id) {
        return ctx.store().transact(tx -> visible(tx, p, id));
    }

    public List<ComponentVersion> ofComponent(Principal p, String componentId) {
        return ctx.store().transact(tx -> {
            Components.visible(tx, p, componentId);
            return tx.listVersions(componentId);
        });
    }

    /**
     * Where a version stands in each host app: its developer and reviewers see every app's delivery (so a developer
     * whose version every app rejected can read why); an app's operator or reviewer sees only that app's.
     */
    public List<Delivery> deliveries(Principal p, String versionId) {
        return ctx.store().transact(tx -> {
            visible(tx, p, versionId);
            List<Delivery> all = tx.listDeliveriesOfVersion(versionId);
            if (p.is(Role.APP_OPERATOR) || p.is(Role.APP_REVIEWER)) {
                return all.stream().filter(d -> d.appId().equals(p.scope())).toList();
            }
            return all;
        });
    }

    /** Versions waiting for a platform reviewer, oldest first. */
    public Page<ComponentVersion> reviewQueue(Principal p, Page.Request page) {
        if (!p.reviews()) {
            throw PlatformException.forbidden("only reviewers see the review queue");
        }
        return Page.of(ctx.store().transact(tx -> tx.listVersionsInState(VersionState.IN_REVIEW, page)), page);
    }

    static ComponentVersion visible(PlatformStore.Tx tx, Principal p, String id) {
        ComponentVersion v = tx.findVersion(id).orElseThrow(() -> PlatformException.notFound("VERSION", id));
        if (p.reviews()) {
            return v;
        }
        if (p.is(Role.DEVELOPER) && tx.findComponent(v.componentId()).map(c -> c.developerId().equals(p.scope())).orElse(false)) {
            return v;
        }
        if ((p.is(Role.APP_OPERATOR) || p.is(Role.APP_REVIEWER)) && tx.findDelivery(id, p.scope()).isPresent()) {
            return v;
        }
        throw PlatformException.notFound("VERSION", id);
    }

    static void requireMove(ComponentVersion v, VersionState next) {
        if (!v.state().canMoveTo(next)) {
            throw PlatformException.conflict("INVALID_STATE", "version " + v.id() + " is " + v.state().wire() + " and cannot become " + next.wire());
        }
    }
}
