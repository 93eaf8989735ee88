package io.openlive.server.http;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** The JSON error shape of every HTTP endpoint: {@code {"error":{"code":"…","message":"…"}}}. */
public final class ApiError {
    private ApiError() {
    }

    public static void send(HttpServerResponse response, int status, String code, String message) {
        if (response.headWritten()) {
            response.reset();
            return;
        }
        response.setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", new JsonObject().put("code", code).put("message", message)).encode());
    }
}
