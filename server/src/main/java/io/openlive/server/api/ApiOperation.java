package io.openlive.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlive.engine.platform.Page;
import io.openlive.engine.platform.PlatformException;
import io.openlive.engine.platform.Principal;

import java.util.Map;

/**
 * One REST operation: its name (used by the CLI), HTTP method and path under {@code /api/v1}, the body it takes, and the
 * handler. The same table is mounted on the HTTP router, called in-process by the offline CLI and checked against
 * {@code openapi.yaml} by a test, so the three cannot drift apart.
 *
 * @param path   with {@code {name}} parameters, as in OpenAPI: {@code /apps/{appId}}
 * @param secured false only for what a viewer's container reads without a key
 */
public record ApiOperation(String name, String method, String path, Body body, boolean secured, Handler handler) {
    /** What a request carries. */
    public enum Body { NONE, JSON, ZIP }

    @FunctionalInterface
    public interface Handler {
        Result handle(Call call);
    }

    /** An authenticated request: path parameters, query parameters and the body (JSON object or zip bytes). */
    public record Call(Principal principal, Map<String, String> params, Map<String, String> query, JsonNode json, byte[] bytes) {
        public String param(String name) {
            return params.get(name);
        }

        /** A required string field of the JSON body. */
        public String text(String field) {
            JsonNode n = json == null ? null : json.get(field);
            if (n == null || !n.isTextual()) {
                throw PlatformException.invalid("INVALID_BODY", "body field '" + field + "' is required and must be a string");
            }
            return n.asText();
        }

        /** An optional string field of the JSON body; null when absent. */
        public String optText(String field) {
            JsonNode n = json == null ? null : json.get(field);
            if (n == null || n.isNull()) {
                return null;
            }
            if (!n.isTextual()) {
                throw PlatformException.invalid("INVALID_BODY", "body field '" + field + "' must be a string");
            }
            return n.asText();
        }

        public Page.Request page() {
            String limit = query.get("limit");
            Integer l;
            try {
                l = limit == null ? null : Integer.valueOf(limit);
            } catch (NumberFormatException e) {
                throw PlatformException.invalid("INVALID_LIMIT", "limit must be a number");
            }
            return Page.Request.of(l, query.get("cursor"));
        }
    }

    /** Status and body (serialised as JSON). */
    public record Result(int status, Object body) {
        public static Result ok(Object body) {
            return new Result(200, body);
        }

        public static Result created(Object body) {
            return new Result(201, body);
        }
    }

    /** The path with its parameters filled in, for the remote CLI. */
    public String expand(Map<String, String> params) {
        String out = path;
        for (Map.Entry<String, String> e : params.entrySet()) {
            out = out.replace("{" + e.getKey() + "}", java.net.URLEncoder.encode(e.getValue(), java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return out;
    }

    /** The path in Vert.x router syntax: {@code /apps/:appId}. */
    public String routerPath() {
        return path.replaceAll("\\{([A-Za-z]+)}", ":$1");
    }
}
