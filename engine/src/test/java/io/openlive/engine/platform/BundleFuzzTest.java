package io.openlive.engine.platform;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer target for uploads: any bytes either unpack into a bundle whose manifest parses and whose checks run, or fail
 * with {@link PlatformException} (a 4xx); nothing else may escape, and limits keep memory bounded.
 */
class BundleFuzzTest {
    private static final BundleLimits SMALL = new BundleLimits(1 << 20, 4 << 20, 64, 1 << 20, 256 << 10);

    @FuzzTest(maxDuration = "30s")
    void unpackAndCheck(byte[] input) {
        try {
            Bundle b = Bundle.read(input, SMALL);
            BundleChecks.offline(b, SMALL);
        } catch (PlatformException expected) {
            // the declared failure
        }
    }

    @FuzzTest(maxDuration = "10s")
    void manifest(byte[] input) {
        try {
            Manifest.parse(input);
        } catch (PlatformException expected) {
            // the declared failure
        }
    }
}
