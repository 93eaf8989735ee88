package io.openlive.engine.platform;

/** Reading the audit log: admins and platform reviewers, newest first, optionally for one entity. */
public final class Audit {
    private final PlatformContext ctx;

    Audit(PlatformContext ctx) {
        this.ctx = ctx;
    }

    public Page<AuditEntry> list(Principal p, String entity, String entityId, Page.Request page) {
        if (!p.reviews()) {
            throw PlatformException.forbidden("only admins and reviewers read the audit log");
        }
        return Page.of(ctx.store().transact(tx -> tx.listAudit(entity, entityId, page)), page);
    }
}
