package io.openlive.engine.platform;

import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves files out of bundles: to a host app's containers only while the version is live in that app; to the
 * version's developer and to reviewers (platform, and the app's own for a pending delivery) as a preview. Anyone else
 * gets "not found", so bundles of other versions do not even show that they exist. Unpacked bundles are kept in a cache
 * bounded by bytes, without a lock over the whole cache; a bundle that unpacks past the bundle size limit is not served.
 */
public final class BundleFiles {
    /** Unpacked bytes kept in memory across bundles. */
    public static final long CACHE_BYTES = 64L << 20;

    private final PlatformContext ctx;
    private final Map<String, Bundle> cache = new ConcurrentHashMap<>();
    /** Cached hashes, oldest first: evicted in the order they were unpacked. */
    private final Queue<String> order = new ConcurrentLinkedQueue<>();
    private final Map<String, Object> loading = new ConcurrentHashMap<>();
    private final AtomicLong cachedBytes = new AtomicLong();

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

    /**
     * The unpacked bundle, from the cache or unpacked once however many requests ask at the same time; other bundles are
     * never blocked meanwhile (a lock per bundle, not one for the cache). A bundle that unpacks past the bundle size limit
     * is not served: approved before that check existed, it would make every request thrash the cache.
     */
    private Bundle bundle(String hash) {
        Bundle cached = cache.get(hash);
        if (cached != null) {
            return cached;
        }
        Object lock = loading.computeIfAbsent(hash, k -> new Object());
        try {
            synchronized (lock) {
                Bundle again = cache.get(hash);
                if (again != null) {
                    return again;
                }
                byte[] zip = ctx.bundles().get(hash).orElseThrow(() -> new IllegalStateException("bundle " + hash + " missing"));
                Bundle b = Bundle.read(zip, ctx.limits());
                long size = unpacked(b);
                if (size > ctx.limits().maxBundleBytes()) {
                    throw new PlatformException(PlatformException.Kind.TOO_LARGE, "BUNDLE_TOO_LARGE", "bundle unpacks to " + size + " bytes; the limit served is " + ctx.limits().maxBundleBytes());
                }
                cache.put(hash, b);
                order.add(hash);
                cachedBytes.addAndGet(size);
                evict();
                return b;
            }
        } finally {
            loading.remove(hash, lock);
        }
    }

    private void evict() {
        while (cachedBytes.get() > CACHE_BYTES && cache.size() > 1) {
            String eldest = order.poll();
            if (eldest == null) {
                return;
            }
            Bundle gone = cache.remove(eldest);
            if (gone != null) {
                cachedBytes.addAndGet(-unpacked(gone));
            }
        }
    }

    private static long unpacked(Bundle b) {
        return b.files().values().stream().mapToLong(f -> f.length).sum();
    }
}
