package io.openlive.server.demo;

import io.openlive.engine.platform.Delivery;
import io.openlive.engine.platform.DeliveryState;
import io.openlive.engine.platform.HostApp;
import io.openlive.engine.platform.Instance;
import io.openlive.engine.platform.InstanceDocument;
import io.openlive.engine.platform.OfficialComponents;
import io.openlive.engine.platform.Page;
import io.openlive.engine.platform.Platform;
import io.openlive.engine.platform.PlatformException;
import io.openlive.engine.platform.Principal;
import io.openlive.engine.platform.Review;
import io.openlive.engine.platform.Role;
import io.openlive.engine.platform.Semver;
import io.openlive.engine.room.Room;
import io.openlive.server.store.JdbcRoomStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The two demo host apps that show one broadcast delivered into two different apps: "Demo Shop" (policy {@code direct})
 * and "Demo Pay" (policy {@code review}, whose own app reviewer approves the official components' pending deliveries),
 * each with its own instance bound to the demo room: the shop gets the live plugin with comments, likes, viewers, the
 * product card and gifts; the pay app the live plugin with comments, likes and viewers. {@link #ensure} is idempotent:
 * it runs at every start in demo mode, creating what is missing and rebinding newer official versions. Blocks on the
 * store. Usage: {@code DemoApps.Ids ids = new DemoApps(platform, rooms).ensure(demoRoom);}
 */
public final class DemoApps {
    /** The demo room and its two apps. */
    public record Ids(String room, String shop, String pay) {
    }

    static final List<String> SHOP_COMPONENTS = List.of("openlive.comments", "openlive.likes", "openlive.viewers",
            "openlive.product-card", "openlive.gifts");
    static final List<String> PAY_COMPONENTS = List.of("openlive.comments", "openlive.likes", "openlive.viewers");
    static final String SHOP_SETTING = "demo_shop_app";
    static final String PAY_SETTING = "demo_pay_app";

    private static final Logger log = LoggerFactory.getLogger(DemoApps.class);
    private static final Principal ADMIN = new Principal("demo", Role.ADMIN, null);
    private static final Page.Request ALL = new Page.Request(100_000, 0);

    private final Platform platform;
    private final JdbcRoomStore rooms;

    public DemoApps(Platform platform, JdbcRoomStore rooms) {
        this.platform = platform;
        this.rooms = rooms;
    }

    public Ids ensure(Room room) {
        String shop = app(SHOP_SETTING, "Demo Shop", "direct");
        String pay = app(PAY_SETTING, "Demo Pay", "review");
        approvePending(pay, PAY_COMPONENTS);
        bind(room.id(), shop, SHOP_COMPONENTS);
        bind(room.id(), pay, PAY_COMPONENTS);
        return new Ids(room.id(), shop, pay);
    }

    /** The demo app's signing secret, for the demo token route only (never logged, never sent). */
    String secret(String appId) {
        return platform.apps().get(ADMIN, appId).secret();
    }

    private String app(String setting, String name, String policy) {
        Optional<String> known = rooms.setting(setting).filter(this::exists);
        if (known.isPresent()) {
            return known.get();
        }
        HostApp app = platform.apps().create(ADMIN, name, policy, List.of(), false).app();
        rooms.putSetting(setting, app.id());
        log.info("[demo] host app {} \"{}\" created (policy {})", app.id(), name, policy);
        return app.id();
    }

    private boolean exists(String appId) {
        try {
            platform.apps().get(ADMIN, appId);
            return true;
        } catch (PlatformException e) {
            return false;
        }
    }

    /** The pay app reviews every version itself: its demo reviewer approves the official ones it shows. */
    private void approvePending(String appId, List<String> components) {
        Principal reviewer = new Principal("demo-reviewer", Role.APP_REVIEWER, appId);
        List<String> wanted = new ArrayList<>(components);
        wanted.add(OfficialComponents.LIVE_PLUGIN);
        for (Delivery d : platform.review().deliveries(reviewer, appId, DeliveryState.PENDING.wire(), ALL).items()) {
            if (wanted.contains(d.componentId())) {
                platform.review().decide(reviewer, appId, d.versionId(), Review.Decision.APPROVE, "demo app shows the official " + d.componentId());
            }
        }
    }

    /** Builds the app's instance from the newest live version of each wanted component and binds it in the room. */
    private void bind(String roomId, String appId, List<String> components) {
        Principal operator = new Principal("demo-operator", Role.APP_OPERATOR, appId);
        Map<String, Delivery> newest = new LinkedHashMap<>();
        for (Delivery d : platform.review().deliveries(operator, appId, DeliveryState.LIVE.wire(), ALL).items()) {
            newest.merge(d.componentId(), d, (a, b) -> Semver.parse(a.version()).compareTo(Semver.parse(b.version())) >= 0 ? a : b);
        }
        String instanceId = null;
        if (newest.containsKey(OfficialComponents.LIVE_PLUGIN)) {
            List<InstanceDocument.Part> parts = components.stream().filter(newest::containsKey)
                    .map(c -> new InstanceDocument.Part(newest.get(c).versionId(), null, null, null, null)).toList();
            Instance instance = platform.instances().build(operator, appId, new InstanceDocument(appId, null, parts));
            instanceId = instance.id();
        } else {
            log.warn("[demo] {} is not live in {}: the demo room is delivered there without components", OfficialComponents.LIVE_PLUGIN, appId);
        }
        platform.rooms().deliver(ADMIN, roomId, appId, instanceId);
    }
}
