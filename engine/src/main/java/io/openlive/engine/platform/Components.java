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
            tx.findDeveloper(dev).orElseThrow(() -> PlatformException.notFound("DEVELOPER", dev));
            if (tx.findComponent(id).isPresent()) {
                throw PlatformException.conflict("COMPONENT_EXISTS", "component id " + id + " is taken");
            }
            tx.insertComponent(c);
            ctx.audit(tx, p, "component.create", "component", id, null, c);
            return c;
        });
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

    /** Stores an uploaded bundle as a new draft version; nothing is written unless the bundle and manifest are sound. */
    public ComponentVersion upload(Principal p, String componentId, byte[] zip) {
        Component c;
        try {
            c = ctx.store().transact(tx -> visible(tx, p, componentId));
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

    /** Runs the automated checks; the version ends {@code in_review} or {@code checks_failed} with every reason. */
    public ComponentVersion submit(Principal p, String versionId) {
        return ctx.store().transact(tx -> {
            ComponentVersion before = Versions.visible(tx, p, versionId);
            Component c = tx.findComponent(before.componentId()).orElseThrow();
            if (!p.actsFor(Role.DEVELOPER, c.developerId())) {
                throw PlatformException.forbidden("only the component's developer submits its versions");
            }
            Versions.requireMove(before, VersionState.SUBMITTED);
            Tier tier = tx.findDeveloper(c.developerId()).orElseThrow().tier();
            byte[] zip = ctx.bundles().get(before.bundleHash())
                    .orElseThrow(() -> new IllegalStateException("bundle " + before.bundleHash() + " missing from the bundle store"));
            List<String> earlier = tx.listVersions(c.id()).stream()
                    .filter(v -> !v.id().equals(versionId) && v.state().passedChecks()).map(ComponentVersion::version).toList();
            CheckReport report = BundleChecks.run(Bundle.read(zip, ctx.limits()), c, tier, earlier, ctx.limits());
            ComponentVersion after = before.withReport(report)
                    .withState(report.passed() ? VersionState.IN_REVIEW : VersionState.CHECKS_FAILED,
                            report.passed() ? null : String.join("; ", report.failures()), ctx.now());
            tx.updateVersion(after);
            ctx.audit(tx, p, "version.submit", "version", versionId, before, after);
            return after;
        });
    }
}
