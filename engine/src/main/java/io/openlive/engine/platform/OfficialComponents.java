package io.openlive.engine.platform;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Imports the components openlive ships (the live plugin, comments, likes…) through the same flow as any developer's:
 * an official developer record, push, submit (the automated checks), approval by the platform's official review path,
 * then delivery to every host app by its policy. A bundle is imported when its manifest version is above every version of
 * that component in the store, so a first start imports all and a later start only what a newer openlive ships.
 * Blocks on the store. Usage: {@code platform.officials().importAll(List.of(zip1, zip2))}.
 */
public final class OfficialComponents {
    /** The developer record official components belong to. */
    public static final String DEVELOPER_NAME = "openlive";
    /** The live plugin an instance gets when its document names none. */
    public static final String LIVE_PLUGIN = "openlive.live";

    /** What happened to one bundle: imported, already there, or refused by a check (with why). */
    public record Outcome(String component, String version, String result, String versionId) {
    }

    private static final Logger log = LoggerFactory.getLogger(OfficialComponents.class);
    private static final Principal ADMIN = new Principal("official-import", Role.ADMIN, null);
    private static final Principal REVIEWER = new Principal("official-review", Role.REVIEWER, null);

    private final PlatformContext ctx;
    private final Components components;
    private final Versions versions;
    private final Review review;

    OfficialComponents(PlatformContext ctx, Components components, Versions versions, Review review) {
        this.ctx = ctx;
        this.components = components;
        this.versions = versions;
        this.review = review;
    }

    public List<Outcome> importAll(List<byte[]> zips) {
        List<Outcome> out = new ArrayList<>();
        if (zips.isEmpty()) {
            return out;
        }
        Principal developer = new Principal("official-import", Role.DEVELOPER, developerId());
        for (byte[] zip : zips) {
            out.add(importOne(developer, zip));
        }
        return out;
    }

    private Outcome importOne(Principal developer, byte[] zip) {
        Manifest m;
        try {
            m = Bundle.read(zip, ctx.limits()).manifest();
        } catch (PlatformException e) { // a packaging mistake in this build: the node still starts, without that bundle
            log.warn("[platform] an official bundle is not a valid bundle and was left out: {} {}", e.code(), e.getMessage());
            return new Outcome(null, null, "refused", null);
        }
        Semver shipped = Semver.parse(m.version());
        try {
            if (ctx.store().transact(tx -> tx.findComponent(m.id())).isEmpty()) {
                components.create(developer, null, m.id(), m.name(), m.kind());
            }
            boolean newer = versions.ofComponent(ADMIN, m.id()).stream()
                    .allMatch(v -> Semver.parse(v.version()).compareTo(shipped) < 0);
            if (!newer) {
                return new Outcome(m.id(), m.version(), "present", null);
            }
            ComponentVersion v = components.upload(developer, m.id(), zip);
            ComponentVersion checked = components.submit(developer, v.id());
            if (checked.state() != VersionState.IN_REVIEW) {
                log.warn("[platform] official {} {} failed its checks: {}", m.id(), m.version(), checked.reason());
                return new Outcome(m.id(), m.version(), "checks_failed", v.id());
            }
            review.approve(REVIEWER, v.id(), "shipped with openlive");
            log.info("[platform] official {} {} imported as {}", m.id(), m.version(), v.id());
            return new Outcome(m.id(), m.version(), "imported", v.id());
        } catch (PlatformException e) {
            if (e.kind() == PlatformException.Kind.CONFLICT) { // another node imported it at the same moment
                return new Outcome(m.id(), m.version(), "present", null);
            }
            throw e;
        }
    }

    /** The official developer's id, registering it on first use. */
    private String developerId() {
        Page.Request all = new Page.Request(1000, 0);
        return ctx.store().transact(tx -> tx.listDevelopers(all)).stream()
                .filter(d -> d.tier() == Tier.OFFICIAL && d.name().equals(DEVELOPER_NAME)).map(Developer::id).findFirst()
                .orElseGet(() -> components.createDeveloper(ADMIN, DEVELOPER_NAME, Tier.OFFICIAL.wire()).id());
    }
}
