package io.openlive.engine.platform;

import java.time.Clock;

/**
 * The open platform, by area: keys, host apps, components and versions, review and delivery, instances, rooms, bundle
 * files, audit. Every operation takes the acting {@link Principal} and checks what it may do, so the REST API and the
 * offline CLI enforce the same rules. All methods block on the store: call them from a worker thread.
 */
public final class Platform {
    private final AccessKeys keys;
    private final HostApps apps;
    private final Components components;
    private final Versions versions;
    private final Review review;
    private final Instances instances;
    private final PlatformRooms rooms;
    private final BundleFiles bundleFiles;
    private final Audit audit;
    private final RoomRecordingAccess recordingAccess;
    private final RoomModeration moderation;
    private final OfficialComponents officials;

    public Platform(PlatformStore store, BundleStore bundles, Clock clock, BundleLimits limits, PlatformEvents events) {
        PlatformContext ctx = new PlatformContext(store, bundles, clock, limits, events);
        this.keys = new AccessKeys(ctx);
        this.review = new Review(ctx);
        this.apps = new HostApps(ctx, review);
        this.components = new Components(ctx);
        this.versions = new Versions(ctx);
        this.instances = new Instances(ctx);
        this.rooms = new PlatformRooms(ctx);
        this.bundleFiles = new BundleFiles(ctx);
        this.audit = new Audit(ctx);
        this.recordingAccess = new RoomRecordingAccess(ctx);
        this.moderation = new RoomModeration(ctx);
        this.officials = new OfficialComponents(ctx, components, versions, review);
    }

    public AccessKeys keys() {
        return keys;
    }

    public HostApps apps() {
        return apps;
    }

    public Components components() {
        return components;
    }

    public Versions versions() {
        return versions;
    }

    public Review review() {
        return review;
    }

    public Instances instances() {
        return instances;
    }

    public PlatformRooms rooms() {
        return rooms;
    }

    public BundleFiles bundleFiles() {
        return bundleFiles;
    }

    public RoomModeration moderation() {
        return moderation;
    }

    /** The components openlive ships, imported through the platform's own flow. */
    public OfficialComponents officials() {
        return officials;
    }

    /** Who may change and read rooms' recordings, and their audit entries. */
    public RoomRecordingAccess recordingAccess() {
        return recordingAccess;
    }

    public Audit audit() {
        return audit;
    }
}
