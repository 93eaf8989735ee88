package io.openlive.engine.platform;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** API keys: created by administrators with a role (and scope), checked on every request, revocable. */
public final class AccessKeys {
    /** The key in plain text exists only in this value, returned once. */
    public record Created(ApiKey key, String secret) {
    }

    private final PlatformContext ctx;

    AccessKeys(PlatformContext ctx) {
        this.ctx = ctx;
    }

    /**
     * On a store with no keys at all, makes the first admin key and returns it; otherwise empty. Nodes starting together
     * on one empty store make exactly one: each would otherwise count no keys before the other's insert committed (on
     * PostgreSQL both did, every time), and two admin keys would be printed on two consoles.
     */
    public Optional<String> bootstrapAdmin() {
        return ctx.store().transact(tx -> {
            tx.lockKeyBootstrap();
            if (tx.countKeys() > 0) {
                return Optional.<String>empty();
            }
            Principal system = new Principal("system", Role.ADMIN, null);
            return Optional.of(insert(tx, system, Role.ADMIN, null, "first admin").secret());
        });
    }

    public Created create(Principal p, String role, String scope, String name) {
        if (!p.isAdmin()) {
            throw PlatformException.forbidden("only an admin creates API keys");
        }
        Role r = Role.parse(role);
        String n = name == null || name.isBlank() ? r.wire() : PlatformContext.requireText(name, "name", 80);
        return ctx.store().transact(tx -> {
            String s = scope == null || scope.isBlank() ? null : scope;
            switch (r) {
                case APP_OPERATOR, APP_REVIEWER -> {
                    if (s == null || tx.findApp(s).isEmpty()) {
                        throw PlatformException.invalid("INVALID_SCOPE", "a " + r.wire() + " key needs a scope: the id of an existing host app");
                    }
                }
                case DEVELOPER -> {
                    if (s == null || tx.findDeveloper(s).isEmpty()) {
                        throw PlatformException.invalid("INVALID_SCOPE", "a developer key needs a scope: the id of an existing developer");
                    }
                }
                case BROADCASTER -> {
                    if (s != null && s.length() > 64) {
                        throw PlatformException.invalid("INVALID_SCOPE", "a broadcaster's scope (the owner of its rooms) is at most 64 characters");
                    }
                }
                case ADMIN, REVIEWER -> {
                    if (s != null) {
                        throw PlatformException.invalid("INVALID_SCOPE", r.wire() + " keys are not scoped");
                    }
                }
            }
            return insert(tx, p, r, s, n);
        });
    }

    private Created insert(PlatformStore.Tx tx, Principal by, Role role, String scope, String name) {
        String secret = Ids.newSecret("olk");
        String id = Ids.newId("key");
        // a broadcaster without a named owner owns its rooms under its own key id
        String s = role == Role.BROADCASTER && scope == null ? id : scope;
        ApiKey key = new ApiKey(id, hash(secret), role, s, name, ctx.now(), null);
        tx.insertKey(key);
        ctx.audit(tx, by, "key.create", "key", key.id(), null, key);
        return new Created(key, secret);
    }

    /** The principal of a presented key; {@code UNAUTHORIZED} for a missing, unknown or revoked key. */
    public Principal authenticate(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new PlatformException(PlatformException.Kind.UNAUTHORIZED, "API_KEY_MISSING",
                    "send an API key: Authorization: Bearer KEY");
        }
        if (secret.length() > 200) {
            throw new PlatformException(PlatformException.Kind.UNAUTHORIZED, "API_KEY_INVALID", "API key not recognised");
        }
        ApiKey key = ctx.store().transact(tx -> tx.findKeyByHash(hash(secret))).orElse(null);
        if (key == null || key.revokedAt() != null) {
            throw new PlatformException(PlatformException.Kind.UNAUTHORIZED, "API_KEY_INVALID", "API key not recognised or revoked");
        }
        return key.principal();
    }

    public Page<ApiKey> list(Principal p, Page.Request page) {
        if (!p.isAdmin()) {
            throw PlatformException.forbidden("only an admin lists API keys");
        }
        return Page.of(ctx.store().transact(tx -> tx.listKeys(page)), page);
    }

    public ApiKey revoke(Principal p, String id) {
        if (!p.isAdmin()) {
            throw PlatformException.forbidden("only an admin revokes API keys");
        }
        return ctx.store().transact(tx -> {
            ApiKey before = tx.findKey(id).orElseThrow(() -> PlatformException.notFound("KEY", id));
            if (before.revokedAt() != null) {
                return before;
            }
            tx.revokeKey(id, ctx.now());
            ApiKey after = tx.findKey(id).orElseThrow();
            ctx.audit(tx, p, "key.revoke", "key", id, before, after);
            return after;
        });
    }

    static String hash(String secret) {
        return Ids.sha256(secret.getBytes(StandardCharsets.UTF_8));
    }
}
