package io.openlive.engine.platform;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Instances: a host app's live plugin plus chosen component versions, built by the API (cloud) or pushed after a local
 * build. Only versions live for that app go in; the result is immutable and named by its content hash.
 */
public final class Instances {
    /** An instance and which of its versions are no longer live in its app (revoked since it was built). */
    public record Status(Instance instance, List<String> notLive) {
    }

    private final PlatformContext ctx;

    Instances(PlatformContext ctx) {
        this.ctx = ctx;
    }

    /** Cloud build: resolves the requested versions and stores the instance (the same document returns the same one). */
    public Instance build(Principal p, String appId, InstanceDocument requested) {
        return store(p, appId, requested, null, "cloud");
    }

    /** Local build pushed: the document is checked like a cloud build, and its hash must be the one the CLI computed. */
    public Instance push(Principal p, String appId, JsonNode document, String claimedHash) {
        return store(p, appId, InstanceDocument.fromJson(document), claimedHash, "local");
    }

    /** Refuses anyone but the app's operator (or an admin); the API asks this before it reads an instance document. */
    public void requireBuilder(Principal p, String appId) {
        if (!p.actsFor(Role.APP_OPERATOR, appId)) {
            throw PlatformException.forbidden("only the host app's operator (or an admin) builds its instances");
        }
    }

    private Instance store(Principal p, String appId, InstanceDocument requested, String claimedHash, String source) {
        requireBuilder(p, appId);
        return ctx.store().transact(tx -> {
            HostApps.visible(tx, p, appId);
            InstanceDocument doc = resolve(tx, appId, requested);
            String hash = doc.hash();
            if (claimedHash != null && !claimedHash.equals(hash)) {
                throw PlatformException.invalid("INSTANCE_HASH_MISMATCH", "instance hashes to " + hash + ", not " + claimedHash
                        + "; rebuild it with the same openlive version");
            }
            return tx.findInstance(hash).orElseGet(() -> {
                Instance i = new Instance(hash, appId, doc, source, p.name(), ctx.now());
                tx.insertInstance(i);
                ctx.audit(tx, p, "instance.create", "instance", hash, null, i);
                return i;
            });
        });
    }

    /**
     * Fills in each part's component and version from the store and checks it: live for the app, the right kind, a slot
     * its manifest offers, a small configuration object. Shared by the cloud build and by the CLI's local build (which
     * resolves against its own view of the versions and must reach the same document).
     */
    public static InstanceDocument resolve(PlatformStore.Tx tx, String appId, InstanceDocument requested) {
        if (requested.app() != null && !requested.app().equals(appId)) {
            throw PlatformException.invalid("INSTANCE_APP_MISMATCH", "the instance is for host app " + requested.app() + ", not " + appId);
        }
        InstanceDocument.Part requestedPlugin = requested.plugin();
        if (requestedPlugin == null || requestedPlugin.versionId() == null) {
            requestedPlugin = officialPlugin(tx, appId, requestedPlugin);
        }
        List<InstanceDocument.Part> parts = requested.components() == null ? List.of() : requested.components();
        if (parts.size() > InstanceDocument.MAX_COMPONENTS) {
            throw PlatformException.invalid("INSTANCE_INVALID", "at most " + InstanceDocument.MAX_COMPONENTS + " components");
        }
        InstanceDocument.Part plugin = part(tx, appId, requestedPlugin, "plugin");
        List<InstanceDocument.Part> components = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (InstanceDocument.Part part : parts) {
            if (part == null || part.versionId() == null) {
                throw PlatformException.invalid("INSTANCE_INVALID", "every component needs a versionId");
            }
            InstanceDocument.Part resolved = part(tx, appId, part, "component");
            if (!seen.add(resolved.component())) {
                throw PlatformException.invalid("INSTANCE_INVALID", "component " + resolved.component() + " is in the instance twice");
            }
            components.add(resolved);
        }
        return new InstanceDocument(appId, plugin, List.copyOf(components));
    }

    /** An instance that names no plugin gets the newest version of the official live plugin that is live in the app. */
    private static InstanceDocument.Part officialPlugin(PlatformStore.Tx tx, String appId, InstanceDocument.Part requested) {
        ComponentVersion newest = tx.listVersions(OfficialComponents.LIVE_PLUGIN).stream()
                .filter(v -> isLive(tx, v.id(), appId))
                .max(java.util.Comparator.comparing(v -> Semver.parse(v.version())))
                .orElseThrow(() -> PlatformException.invalid("INSTANCE_INVALID", "the instance names no plugin.versionId and "
                        + OfficialComponents.LIVE_PLUGIN + " is not live in host app " + appId));
        return new InstanceDocument.Part(newest.id(), null, null, requested == null ? null : requested.slot(),
                requested == null ? null : requested.config());
    }

    private static InstanceDocument.Part part(PlatformStore.Tx tx, String appId, InstanceDocument.Part part, String kind) {
        String vid = part.versionId();
        ComponentVersion v = tx.findVersion(vid).orElse(null);
        Delivery d = v == null ? null : tx.findDelivery(vid, appId).orElse(null);
        if (v == null || d == null || d.state() != DeliveryState.LIVE || v.state() != VersionState.APPROVED) {
            throw PlatformException.invalid("VERSION_NOT_LIVE", "version " + vid + " is not live in host app " + appId);
        }
        if (!v.manifest().kind().equals(kind)) {
            throw PlatformException.invalid("INSTANCE_INVALID", "version " + vid + " is a " + v.manifest().kind() + ", not a " + kind);
        }
        if ((part.component() != null && !part.component().equals(v.componentId()))
                || (part.version() != null && !part.version().equals(v.version()))) {
            throw PlatformException.invalid("INSTANCE_INVALID", "version " + vid + " is " + v.componentId() + " " + v.version()
                    + ", not " + part.component() + " " + part.version());
        }
        String slot = part.slot() == null ? v.manifest().slots().get(0) : part.slot();
        if (!v.manifest().slots().contains(slot)) {
            throw PlatformException.invalid("INSTANCE_INVALID", v.componentId() + " does not offer slot '" + slot + "' (it offers "
                    + String.join(", ", v.manifest().slots()) + ")");
        }
        if (!part.config().isObject() || part.config().toString().getBytes(StandardCharsets.UTF_8).length > InstanceDocument.MAX_CONFIG_BYTES) {
            throw PlatformException.invalid("INSTANCE_INVALID", "config of " + v.componentId() + " must be a JSON object of at most "
                    + InstanceDocument.MAX_CONFIG_BYTES + " bytes");
        }
        return new InstanceDocument.Part(vid, v.componentId(), v.version(), slot, part.config());
    }

    public Status get(Principal p, String id) {
        return ctx.store().transact(tx -> {
            Instance i = tx.findInstance(id).orElseThrow(() -> PlatformException.notFound("INSTANCE", id));
            if (!p.reviews() && !p.actsFor(Role.APP_OPERATOR, i.appId()) && !p.actsFor(Role.APP_REVIEWER, i.appId())) {
                throw PlatformException.notFound("INSTANCE", id);
            }
            return new Status(i, notLive(tx, i));
        });
    }

    public Page<Instance> list(Principal p, String appId, Page.Request page) {
        return ctx.store().transact(tx -> {
            HostApps.visible(tx, p, appId);
            return Page.of(tx.listInstances(appId, page), page);
        });
    }

    static List<String> notLive(PlatformStore.Tx tx, Instance i) {
        List<String> out = new ArrayList<>();
        List<InstanceDocument.Part> all = new ArrayList<>();
        all.add(i.document().plugin());
        all.addAll(i.document().components());
        for (InstanceDocument.Part part : all) {
            if (!isLive(tx, part.versionId(), i.appId())) {
                out.add(part.versionId());
            }
        }
        return out;
    }

    static boolean isLive(PlatformStore.Tx tx, String versionId, String appId) {
        return tx.findDelivery(versionId, appId).map(d -> d.state() == DeliveryState.LIVE).orElse(false)
                && tx.findVersion(versionId).map(v -> v.state() == VersionState.APPROVED).orElse(false);
    }
}
