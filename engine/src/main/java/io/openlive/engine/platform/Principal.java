package io.openlive.engine.platform;

/**
 * Who is acting: the name written to the audit log, a role and, for scoped roles, the host app or developer id.
 * Questions about access read as {@code p.is(Role.ADMIN)} or {@code p.actsFor(Role.DEVELOPER, devId)}.
 */
public record Principal(String name, Role role, String scope) {
    /** The operator at the command line working offline on the embedded store: an administrator. */
    public static Principal localOperator() {
        return new Principal("cli:" + System.getProperty("user.name", "local"), Role.ADMIN, null);
    }

    public boolean is(Role r) {
        return role == r;
    }

    @com.fasterxml.jackson.annotation.JsonIgnore // a question, not a property: /me shows name, role and scope
    public boolean isAdmin() {
        return role == Role.ADMIN;
    }

    /** Admin, or this scoped role for exactly {@code id}. */
    public boolean actsFor(Role r, String id) {
        return role == Role.ADMIN || (role == r && id != null && id.equals(scope));
    }

    /** Admin or platform reviewer. */
    public boolean reviews() {
        return role == Role.ADMIN || role == Role.REVIEWER;
    }
}
