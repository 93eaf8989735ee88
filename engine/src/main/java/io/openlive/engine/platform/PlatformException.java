package io.openlive.engine.platform;

/**
 * A refused platform operation: a {@link Kind} the server maps to an HTTP status, a stable upper-case {@code code}
 * ({@code COMPONENT_NOT_FOUND}) for programs and a message for people. Expected; never logged with a stack trace.
 */
public final class PlatformException extends RuntimeException {
    /** What went wrong, independent of the transport. */
    public enum Kind { INVALID, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT, TOO_LARGE, UNSUPPORTED_MEDIA_TYPE }

    private final Kind kind;
    private final String code;

    public PlatformException(Kind kind, String code, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.code = code;
    }

    public static PlatformException invalid(String code, String message) {
        return new PlatformException(Kind.INVALID, code, message);
    }

    public static PlatformException notFound(String what, String id) {
        return new PlatformException(Kind.NOT_FOUND, what.toUpperCase(java.util.Locale.ROOT) + "_NOT_FOUND", "no " + what.toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " " + id);
    }

    public static PlatformException forbidden(String message) {
        return new PlatformException(Kind.FORBIDDEN, "FORBIDDEN", message);
    }

    public static PlatformException conflict(String code, String message) {
        return new PlatformException(Kind.CONFLICT, code, message);
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }
}
