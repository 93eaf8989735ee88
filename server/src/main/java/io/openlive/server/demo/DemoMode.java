package io.openlive.server.demo;

import io.openlive.engine.platform.Platform;
import io.openlive.engine.room.Room;
import io.openlive.engine.stream.SampleLoop;
import io.openlive.engine.stream.Scheduler;
import io.openlive.engine.stream.StreamHub;
import io.openlive.server.store.JdbcRoomStore;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.Supplier;

/**
 * What {@code serve --demo} adds to a node: the demo host apps bound in the demo room ({@link DemoApps}), their backend
 * routes ({@link DemoRoutes}) and the demo room's sample loop ({@link SampleLoop} over {@code demo/sample.flv}, whose
 * README says how it was made). Only the demo room loops. Usage:
 * {@code DemoMode demo = DemoMode.prepare(platform, rooms, room, hub, scheduler); demo.mount(router, …); demo.start();}
 */
public final class DemoMode {
    static final String CLIP = "/demo/sample.flv";

    private final DemoApps apps;
    private final DemoApps.Ids ids;
    private final SampleLoop loop;

    private DemoMode(DemoApps apps, DemoApps.Ids ids, SampleLoop loop) {
        this.apps = apps;
        this.ids = ids;
        this.loop = loop;
    }

    /** Sets up the demo apps in the store (blocking) and readies the loop; nothing plays until {@link #start}. */
    public static DemoMode prepare(Platform platform, JdbcRoomStore rooms, Room demoRoom, StreamHub hub, Scheduler scheduler) {
        DemoApps apps = new DemoApps(platform, rooms);
        DemoApps.Ids ids = apps.ensure(demoRoom);
        return new DemoMode(apps, ids, new SampleLoop(hub, ids.room(), SampleLoop.parse(clip()), scheduler));
    }

    public DemoApps.Ids ids() {
        return ids;
    }

    /** {@code /demo/api/config} and {@code /demo/api/token}. */
    public void mount(Router router, Vertx vertx, Supplier<String> componentOrigin) {
        new DemoRoutes(vertx, apps, ids, componentOrigin).mount(router);
    }

    /** The demo room goes live on its loop (or waits for a real publisher on it to leave). */
    public void start() {
        loop.start();
    }

    public void stop() {
        loop.stop();
    }

    private static byte[] clip() {
        try (InputStream in = DemoMode.class.getResourceAsStream(CLIP)) {
            if (in == null) {
                throw new IllegalStateException(CLIP + " missing from the jar");
            }
            return in.readNBytes(SampleLoop.MAX_CLIP_BYTES + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(CLIP + " unreadable", e);
        }
    }
}
