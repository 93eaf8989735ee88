package io.openlive.engine.platform;

import java.util.List;

/** Developers, their components and versions: upload (draft) and submit (automated checks). */
public final class Components {
    private final PlatformContext ctx;

    Components(PlatformContext ctx) {
        this.ctx = ctx;
    }

    public Developer createDeveloper(Principal p, String name, String tier) {
        if (!p.isAdmin()) {
            throw PlatformException.forbidden("only an admin registers developers");
        }
        Developer d = new Developer(Ids.newId("dev"), PlatformContext.requireText(name, "name", 80),
                Tier.parse(tier == null ? "third-party" : tier), ctx.now());
        return ctx.store().transact(tx -> {
            tx.insertDeveloper(d);
            ctx.audit(tx, p, "developer.create", "developer", d.id(), null, d);
            return d;
        });
    }

    public Developer developer(Principal p, String id) {
        return ctx.store().transact(tx -> {
            Developer d = tx.findDeveloper(id).orElseThrow(() -> PlatformException.notFound("DEVELOPER", id));
            if (!p.reviews() && !p.actsFor(Role.DEVELOPER, id)) {
                throw PlatformException.notFound("DEVELOPER", id);
            }
            return d;
        });
    }

    public Page<Developer> developers(Principal p, Page.Request page) {
        if (!p.reviews()) {
            throw PlatformException.forbidden("only admins and reviewers list developers");
        }
        return Page.of(ctx.store().transact(tx -> tx.listDevelopers(page)), page);
    }

    /** Registers a component id for a developer; developers register for themselves. */
    public Component create(Principal p, String developerId, String id, String name, String kind) {
        String dev = p.is(Role.DEVELOPER) ? p.scope() : developerId;
        if (!p.is(Role.DEVELOPER) && !p.isAdmin()) {
            throw PlatformException.forbidden("only developers (and admins) register components");
        }
        if (p.is(Role.DEVELOPER) && developerId != null && !developerId.equals(p.scope())) {
            throw PlatformException.forbidden("a developer registers components only for itself");
        }
        if (dev == null) {
            throw PlatformException.invalid("INVALID_DEVELOPER", "developerId is required");
        }
        if (id == null || !Manifest.isValidId(id)) {
            throw PlatformException.invalid("INVALID_COMPONENT_ID", "id must be dotted lower-case names such as acme.coupon");
        }
        String k = kind == null ? "component" : kind;
        if (!Manifest.KINDS.contains(k)) {
            throw PlatformException.invalid("INVALID_KIND", "kind must be component or plugin");
        }
        Component c = new Component(id, dev, PlatformContext.requireText(name, "name", 80), k, ctx.now());
        return ctx.store().transact(tx -> {
            Developer owner = tx.findDeveloper(dev).orElseThrow(() -> PlatformException.notFound("DEVELOPER", dev));
            if (tx.findComponent(id).isPresent()) {
                throw PlatformException.conflict("COMPONENT_EXISTS", "component id " + id + " is taken");
            }
            requireNamespace(tx, owner, id, k);
            tx.insertComponent(c);
            ctx.audit(tx, p, "component.create", "component", id, null, c);
            return c;
        });
    }

    /** Ids under {@code openlive.} are the platform's own. */
    public static final String OFFICIAL_NAMESPACE = "openlive.";

    /**
     * A component's id is also the namespace of its topics ({@code acme.poll.*}): an id may not sit inside another
     * developer's component id, nor hold one inside its own; {@code openlive.} ids are official only; plugins (the piece
     * that wraps the whole room) come from official and second-party developers only.
     */
    private static void requireNamespace(PlatformStore.Tx tx, Developer owner, String id, String kind) {
        if (id.startsWith(OFFICIAL_NAMESPACE) && owner.tier() != Tier.OFFICIAL) {
            throw PlatformException.forbidden("ids under " + OFFICIAL_NAMESPACE + "* are reserved for official components");
        }
        if (kind.equals("plugin") && owner.tier() == Tier.THIRD_PARTY) {
            throw PlatformException.forbidden("third-party developers ship components, not plugins");
        }
        for (int dot = id.indexOf('.'); dot > 0; dot = id.indexOf('.', dot + 1)) {
            String outer = id.substring(0, dot);
            tx.findComponent(outer).filter(o -> !o.developerId().equals(owner.id())).ifPresent(o -> {
                throw PlatformException.conflict("NAMESPACE_TAKEN", id + " is inside " + outer + ", another developer's namespace");
            });
        }
        for (Component inner : tx.listComponentsUnder(id + ".", 1000)) {
            if (!inner.developerId().equals(owner.id())) {
                throw PlatformException.conflict("NAMESPACE_TAKEN", id + " would hold " + inner.id() + ", another developer's component");
            }
        }
    }

    public Component get(Principal p, String id) {
        return ctx.store().transact(tx -> visible(tx, p, id));
    }

    static Component visible(PlatformStore.Tx tx, Principal p, String id) {
        Component c = tx.findComponent(id).orElseThrow(() -> PlatformException.notFound("COMPONENT", id));
        if (!p.reviews() && !p.actsFor(Role.DEVELOPER, c.developerId())) {
            throw PlatformException.notFound("COMPONENT", id);
        }
        return c;
    }

    public Page<Component> list(Principal p, Page.Request page) {
        if (!p.reviews() && !p.is(Role.DEVELOPER)) {
            throw PlatformException.forbidden("a " + p.role().wire() + " key cannot list components");
        }
        String dev = p.is(Role.DEVELOPER) ? p.scope() : null;
        return Page.of(ctx.store().transact(tx -> tx.listComponents(dev, page)), page);
    }

    /** Drafts (uploaded, never submitted) one developer may hold at once across its components. */
    public static final int MAX_DRAFTS = 10;
    /** How long a draft is kept without being submitted; older drafts are deleted when their developer uploads again. */
    public static final java.time.Duration DRAFT_TTL = java.time.Duration.ofDays(7);

    /**
     * Whether {@code p} may upload a version of {@code componentId} now: its developer, under the draft quota (after
     * expired drafts are deleted). The server asks this before it reads an upload's body.
     */
    public Component requireUploadAllowed(Principal p, String componentId) {
        return ctx.store().transact(tx -> uploadAllowed(tx, p, componentId));
    }

    private Component uploadAllowed(PlatformStore.Tx tx, Principal p, String componentId) {
        Component c;
        try {
            c = visible(tx, p, componentId);
        } catch (PlatformException e) {
            if (!e.code().equals("COMPONENT_NOT_FOUND")) {
                throw e;
            }
            // the first upload of a new component is the usual way to meet this: say what comes first
            throw new PlatformException(PlatformException.Kind.NOT_FOUND, e.code(), e.getMessage()
                    + "; register it first (POST /api/v1/components with its id and name), then upload its versions");
        }
        if (!p.actsFor(Role.DEVELOPER, c.developerId())) {
            throw PlatformException.forbidden("only the component's developer uploads versions");
        }
        tx.deleteDraftsUploadedBefore(c.developerId(), ctx.now().minus(DRAFT_TTL));
        if (tx.countDrafts(c.developerId()) >= MAX_DRAFTS) {
            throw PlatformException.conflict("DRAFT_QUOTA", "a developer holds at most " + MAX_DRAFTS
                    + " drafts; submit one (drafts older than " + DRAFT_TTL.toDays() + " days are deleted)");
        }
        return c;
    }

    /** Stores an uploaded bundle as a new draft version; nothing is written unless the bundle and manifest are sound. */
    public ComponentVersion upload(Principal p, String componentId, byte[] zip) {
        requireUploadAllowed(p, componentId);
        Bundle bundle = Bundle.read(zip, ctx.limits());
        Manifest m = bundle.manifest();
        if (!m.id().equals(componentId)) {
            throw PlatformException.invalid("MANIFEST_ID_MISMATCH", "manifest id '" + m.id() + "' is not component '" + componentId + "'");
        }
        Semver.parse(m.version());
        if (ctx.store().transact(tx -> tx.findVersion(componentId, m.version())).isPresent()) {
            throw duplicate(componentId, m.version()); // before the bundle is stored: a refused upload leaves nothing behind
        }
        // the bundle is durable before the version row that points at it is committed
        String hash = ctx.bundles().put(zip);
        return ctx.store().transact(tx -> {
            uploadAllowed(tx, p, componentId); // again: a concurrent upload may have taken the last draft slot
            if (tx.findVersion(componentId, m.version()).isPresent()) {
                throw duplicate(componentId, m.version());
            }
            ComponentVersion v = new ComponentVersion(Ids.newId("ver"), componentId, m.version(), VersionState.DRAFT, m, hash,
                    zip.length, p.name(), ctx.now(), null, null, ctx.now());
            tx.insertVersion(v);
            ctx.audit(tx, p, "version.upload", "version", v.id(), null, v);
            return v;
        });
    }

    private static PlatformException duplicate(String componentId, String version) {
        return PlatformException.conflict("VERSION_EXISTS", componentId + " " + version + " was already uploaded; raise the version");
    }

    /**
     * Runs the automated checks; the version ends {@code in_review} or {@code checks_failed} with every reason. Only the
     * reads before and the write after are transactions: the bundle is read from disk and checked outside them (the
     * checks are CPU work within {@link BundleChecks#DEFAULT_BUDGET}), so a costly bundle never holds a database
     * connection that API calls, joins and publishes wait for.
     */
    public ComponentVersion submit(Principal p, String versionId) {
        record Subject(ComponentVersion version, Component component, Tier tier, List<String> earlier) {
        }
        Subject s = ctx.store().transact(tx -> {
            ComponentVersion before = Versions.visible(tx, p, versionId);
            Component c = tx.findComponent(before.componentId()).orElseThrow();
            if (!p.actsFor(Role.DEVELOPER, c.developerId())) {
                throw PlatformException.forbidden("only the component's developer submits its versions");
            }
            Versions.requireMove(before, VersionState.SUBMITTED);
            Tier tier = tx.findDeveloper(c.developerId()).orElseThrow().tier();
            List<String> earlier = tx.listVersions(c.id()).stream()
                    .filter(v -> !v.id().equals(versionId) && v.state().passedChecks()).map(ComponentVersion::version).toList();
            return new Subject(before, c, tier, earlier);
        });
        ComponentVersion before = s.version();
        byte[] zip = ctx.bundles().get(before.bundleHash())
                .orElseThrow(() -> new IllegalStateException("bundle " + before.bundleHash() + " missing from the bundle store"));
        CheckReport report = BundleChecks.run(Bundle.read(zip, ctx.limits()), s.component(), s.tier(), s.earlier(), ctx.limits());
        return ctx.store().transact(tx -> {
            ComponentVersion now = tx.findVersion(versionId).orElseThrow(() -> PlatformException.notFound("VERSION", versionId));
            if (now.state() != before.state() || !java.util.Objects.equals(now.updatedAt(), before.updatedAt())) {
                throw PlatformException.conflict("VERSION_CHANGED", "version " + versionId + " changed while its checks ran; submit it again");
            }
            ComponentVersion after = now.withReport(report)
                    .withState(report.passed() ? VersionState.IN_REVIEW : VersionState.CHECKS_FAILED,
                            report.passed() ? null : String.join("; ", report.failures()), ctx.now());
            tx.updateVersion(after);
            ctx.audit(tx, p, "version.submit", "version", versionId, before, after);
            return after;
        });
    }
}
