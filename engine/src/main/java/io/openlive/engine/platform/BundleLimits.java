package io.openlive.engine.platform;

/**
 * Limits on uploaded bundles. The {@code max*Upload*}/{@code maxUnpacked*}/{@code maxEntries} limits are hard: a bundle
 * past them is refused at upload (a zip bomb never unpacks further than {@link #maxUnpackedBytes}). The check limits
 * ({@link #maxBundleBytes}, {@link #maxFileBytes}) are policy, reported by the automated checks on submit.
 *
 * @param maxUploadBytes   largest zip accepted at all (default 8 MiB)
 * @param maxUnpackedBytes most bytes a bundle may unpack to, counted as it unpacks (default 32 MiB)
 * @param maxEntries       most files in a bundle (default 512)
 * @param maxBundleBytes   largest zip that passes the size check (default 4 MiB)
 * @param maxFileBytes     largest single file that passes the size check (default 1 MiB)
 */
public record BundleLimits(long maxUploadBytes, long maxUnpackedBytes, int maxEntries, long maxBundleBytes, long maxFileBytes) {
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 8L << 20;
    public static final long DEFAULT_MAX_UNPACKED_BYTES = 32L << 20;
    public static final int DEFAULT_MAX_ENTRIES = 512;
    public static final long DEFAULT_MAX_BUNDLE_BYTES = 4L << 20;
    public static final long DEFAULT_MAX_FILE_BYTES = 1L << 20;

    public static BundleLimits defaults() {
        return new BundleLimits(DEFAULT_MAX_UPLOAD_BYTES, DEFAULT_MAX_UNPACKED_BYTES, DEFAULT_MAX_ENTRIES,
                DEFAULT_MAX_BUNDLE_BYTES, DEFAULT_MAX_FILE_BYTES);
    }
}
