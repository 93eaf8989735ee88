package io.openlive.engine.platform;

import java.util.Optional;

/** Bundle zips by content hash; a put returns only once the bytes are durable. Implementations block. */
public interface BundleStore {
    /** Stores {@code zip} under its SHA-256 (a no-op when already stored) and returns the hash. */
    String put(byte[] zip);

    Optional<byte[]> get(String hash);
}
