package io.openlive.engine.platform;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Host apps: registration, policy, allowed origins, the viewer-token secret (shown once, rotatable). */
public final class HostApps {
    /** The secret in plain text is returned only here, at creation and rotation. */
    public record WithSecret(HostApp app, String secret) {
    }

    /** Fields to change; null leaves a field as it is. */
    public record Changes(String name, String policy, List<String> origins, Boolean thirdPartyConsent) {
    }

    static final int MAX_ORIGINS = 20;

    private final PlatformContext ctx;
    private final Review review;

    HostApps(PlatformContext ctx, Review review) {
        this.ctx = ctx;
        this.review = review;
    }

    public WithSecret create(Principal p, String name, String policy, List<String> origins, boolean thirdPartyConsent) {
        if (!p.isAdmin()) {
            throw PlatformException.forbidden("only an admin registers host apps");
        }
        String n = PlatformContext.requireText(name, "name", 80);
        DeliveryPolicy pol = DeliveryPolicy.parse(policy == null ? "direct" : policy);
        List<String> o = origins(origins);
        String secret = Ids.newSecret("hs");
        HostApp app = new HostApp(Ids.newId("app"), n, o, secret, pol, thirdPartyConsent, ctx.now(), ctx.now());
        List<Delivery> live = ctx.store().transact(tx -> {
            tx.insertApp(app);
            ctx.audit(tx, p, "app.create", "app", app.id(), null, app);
            // versions approved before this app existed reach it by its policy, as if approved now
            return review.deliverApproved(tx, p, app);
        });
        live.forEach(d -> ctx.events().versionLive(d.versionId(), d.appId()));
        return new WithSecret(app, secret);
    }

    public HostApp get(Principal p, String id) {
        return ctx.store().transact(tx -> visible(tx, p, id));
    }

    static HostApp visible(PlatformStore.Tx tx, Principal p, String id) {
        HostApp app = tx.findApp(id).orElseThrow(() -> PlatformException.notFound("APP", id));
        if (!p.reviews() && !p.actsFor(Role.APP_OPERATOR, id) && !p.actsFor(Role.APP_REVIEWER, id)) {
            throw PlatformException.notFound("APP", id); // another tenant's app does not exist for this caller
        }
        return app;
    }

    public Page<HostApp> list(Principal p, Page.Request page) {
        return ctx.store().transact(tx -> {
            if (p.reviews()) {
                return Page.of(tx.listApps(page), page);
            }
            if ((p.is(Role.APP_OPERATOR) || p.is(Role.APP_REVIEWER)) && page.offset() == 0) {
                return Page.of(tx.findApp(p.scope()).map(List::of).orElse(List.of()), page);
            }
            if (p.is(Role.APP_OPERATOR) || p.is(Role.APP_REVIEWER)) {
                return new Page<HostApp>(List.of(), null);
            }
            throw PlatformException.forbidden("a " + p.role().wire() + " key cannot list host apps");
        });
    }

    public HostApp update(Principal p, String id, Changes changes) {
        HostApp updated = ctx.store().transact(tx -> {
            HostApp before = visible(tx, p, id);
            if (!p.actsFor(Role.APP_OPERATOR, id)) {
                throw PlatformException.forbidden("only an admin or the app's operator changes a host app");
            }
            HostApp after = new HostApp(id,
                    changes.name() == null ? before.name() : PlatformContext.requireText(changes.name(), "name", 80),
                    changes.origins() == null ? before.origins() : origins(changes.origins()),
                    before.secret(),
                    changes.policy() == null ? before.policy() : DeliveryPolicy.parse(changes.policy()),
                    changes.thirdPartyConsent() == null ? before.thirdPartyConsent() : changes.thirdPartyConsent(),
                    before.createdAt(), ctx.now());
            tx.updateApp(after);
            ctx.audit(tx, p, "app.update", "app", id, before, after);
            return after;
        });
        ctx.events().appChanged(id);
        return updated;
    }

    public WithSecret rotateSecret(Principal p, String id) {
        WithSecret rotated = ctx.store().transact(tx -> {
            HostApp before = visible(tx, p, id);
            if (!p.actsFor(Role.APP_OPERATOR, id)) {
                throw PlatformException.forbidden("only an admin or the app's operator rotates its secret");
            }
            String secret = Ids.newSecret("hs");
            HostApp after = new HostApp(id, before.name(), before.origins(), secret, before.policy(), before.thirdPartyConsent(),
                    before.createdAt(), ctx.now());
            tx.updateApp(after);
            ctx.audit(tx, p, "app.rotate-secret", "app", id, before, after);
            return new WithSecret(after, secret);
        });
        ctx.events().appChanged(id);
        return rotated;
    }

    /** Origins as a browser sends them: scheme, host and port only. */
    static List<String> origins(List<String> origins) {
        if (origins == null) {
            return List.of();
        }
        if (origins.size() > MAX_ORIGINS) {
            throw PlatformException.invalid("INVALID_ORIGINS", "at most " + MAX_ORIGINS + " origins");
        }
        List<String> out = new ArrayList<>();
        for (String o : origins) {
            String s = o == null ? "" : o.strip().toLowerCase(Locale.ROOT);
            URI u;
            try {
                u = new URI(s);
            } catch (java.net.URISyntaxException e) {
                u = null;
            }
            if (u == null || !("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null
                    || (u.getRawPath() != null && !u.getRawPath().isEmpty()) || u.getRawQuery() != null || u.getUserInfo() != null
                    || u.getRawFragment() != null || s.indexOf('#') >= 0 || s.chars().anyMatch(ch -> ch <= ' ' || ch == ';' || ch == ',')) {
                throw PlatformException.invalid("INVALID_ORIGINS", "'" + o + "' is not an origin such as https://shop.example.com");
            }
            // the origin as browsers send it (RFC 6454 6.1): no default port, so a stored :443 still matches
            boolean defaultPort = u.getPort() == -1 || (u.getPort() == 443 && "https".equals(u.getScheme()))
                    || (u.getPort() == 80 && "http".equals(u.getScheme()));
            out.add(u.getScheme() + "://" + u.getHost() + (defaultPort ? "" : ":" + u.getPort()));
        }
        return List.copyOf(out);
    }
}
