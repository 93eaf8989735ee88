package io.openlive.engine.platform;

import java.time.Instant;

/**
 * One uploaded version: its manifest, the bundle's content hash and size, who uploaded it, where review stands, the check
 * report (after submit) and the reviewer's reason (after a decision).
 */
public record ComponentVersion(String id, String componentId, String version, VersionState state, Manifest manifest,
                               String bundleHash, long bundleSize, String uploadedBy, Instant uploadedAt,
                               CheckReport report, String reason, Instant updatedAt) {
    public ComponentVersion withState(VersionState next, String why, Instant at) {
        return new ComponentVersion(id, componentId, version, next, manifest, bundleHash, bundleSize, uploadedBy, uploadedAt,
                report, why, at);
    }

    public ComponentVersion withReport(CheckReport r) {
        return new ComponentVersion(id, componentId, version, state, manifest, bundleHash, bundleSize, uploadedBy, uploadedAt,
                r, reason, updatedAt);
    }
}
