package io.openlive.protocol.realtime;

/** The error codes of the realtime channel, as sent in {@code {"op":"error","error":{"code":…}}}. Documented in PROTOCOL.md. */
public final class ErrorCode {
    public static final String BAD_JSON = "bad_json";
    public static final String BAD_ENVELOPE = "bad_envelope";
    public static final String UNKNOWN_OP = "unknown_op";
    public static final String TOO_LARGE = "too_large";
    public static final String UNKNOWN_METHOD = "unknown_method";
    public static final String BAD_PARAMS = "bad_params";
    public static final String UNAUTHORIZED = "unauthorized";
    public static final String FORBIDDEN = "forbidden";
    public static final String RATE_LIMITED = "rate_limited";
    public static final String MUTED = "muted";
    public static final String BANNED = "banned";
    public static final String SLOW_MODE = "slow_mode";
    public static final String FILTERED = "filtered";
    public static final String UNKNOWN_TOPIC = "unknown_topic";
    public static final String ROOM_NOT_FOUND = "room_not_found";
    public static final String ROOM_NOT_DELIVERED = "room_not_delivered";
    public static final String TOKEN_MISSING = "token_missing";
    public static final String TOKEN_INVALID = "token_invalid";
    public static final String TOKEN_EXPIRED = "token_expired";
    public static final String TOKEN_WRONG_APP = "token_wrong_app";
    public static final String ORIGIN_NOT_ALLOWED = "origin_not_allowed";
    public static final String INTERNAL = "internal";

    private ErrorCode() {
    }
}
