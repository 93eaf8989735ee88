package io.openlive.server.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/**
 * Where admin commands send API operations: the embedded store in this process (offline, as the local operator) or a
 * running server ({@code --server URL --api-key K}). Both speak in operation ids of {@code openapi.yaml}, so every
 * command is written once.
 */
interface Backend extends AutoCloseable {
    /** Runs operation {@code name}; a refusal throws {@link CliFailure} with the API's code and message. */
    JsonNode call(String name, Map<String, String> params, String query, JsonNode body);

    /** Uploads a bundle as a new version of {@code componentId}. */
    JsonNode upload(String componentId, byte[] zip);

    /**
     * Where the server takes publishers and viewers, {@code {"rtmp":"rtmp://HOST:PORT/live","http":"http://HOST:PORT"}}
     * as the server itself reports it ({@code GET /endpoints}); null offline, where no server is known.
     */
    default JsonNode endpoints() {
        return null;
    }

    /** The base URL that play and bundle URLs are relative to, for printing. */
    String baseUrl();

    @Override
    void close();
}
