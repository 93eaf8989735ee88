package io.openlive.engine.platform;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Serves files out of bundles: to a host app's containers only while the version is live in that app; to the
 * version's developer and to reviewers (platform, and the app's own for a pending delivery) as a preview. Anyone else
 * gets "not found", so bundles of other versions do not even show that they exist. Unpacked bundles are kept in a small
 * LRU bounded by bytes.
 */
public final class BundleFiles {
    /** Unpacked bytes kept in memory across bundles. */
    public static final long CACHE_BYTES = 64L << 20;

    private final PlatformContext ctx;
    private final Map<String, Bundle> cache = new LinkedHashMap<>(16, 0.75f, true);
    private long cachedBytes;

    BundleFiles(PlatformContext ctx) {
        this.ctx = ctx;
    }

    /**
     * The file at {@code path} of version {@code versionId} for host app {@code appId}, if {@code who} (null for an
     * anonymous container) may have it.
     */
    public Optional<byte[]> file(Principal who, String appId, String versionId, String path) {
        try {
            Bundle.checkPath(path);
        } catch (PlatformException e) {
            return Optional.empty();
        }
        Optional<String> hash = ctx.store().transact(tx -> {
            ComponentVersion v = tx.findVersion(versionId).orElse(null);
            if (v == null) {
                return Optional.<String>empty();
            }
            boolean allowed = Instances.isLive(tx, versionId, appId) || (who != null && mayPreview(tx, who, v, appId));
            return allowed ? Optional.of(v.bundleHash()) : Optional.<String>empty();
        });
        return hash.flatMap(h -> Optional.ofNullable(bundle(h).files().get(path)));
    }

    private static boolean mayPreview(PlatformStore.Tx tx, Principal who, ComponentVersion v, String appId) {
        if (who.reviews()) {
            return true;
        }
        if (who.is(Role.DEVELOPER)) {
            return tx.findComponent(v.componentId()).map(c -> c.developerId().equals(who.scope())).orElse(false);
        }
        return who.actsFor(Role.APP_REVIEWER, appId)
                && tx.findDelivery(v.id(), appId).map(d -> d.state() == DeliveryState.PENDING).orElse(false);
    }

    private synchronized Bundle bundle(String hash) {
        Bundle b = cache.get(hash);
        if (b != null) {
            return b;
        }
        byte[] zip = ctx.bundles().get(hash).orElseThrow(() -> new IllegalStateException("bundle " + hash + " missing"));
        b = Bundle.read(zip, ctx.limits());
        long size = b.files().values().stream().mapToLong(f -> f.length).sum();
        cache.put(hash, b);
        cachedBytes += size;
        var it = cache.entrySet().iterator();
        while (cachedBytes > CACHE_BYTES && cache.size() > 1 && it.hasNext()) {
            var eldest = it.next();
            cachedBytes -= eldest.getValue().files().values().stream().mapToLong(f -> f.length).sum();
            it.remove();
        }
        return b;
    }
}
