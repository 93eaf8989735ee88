package io.openlive.server.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The one JSON mapping of the API: ISO-8601 times, records as objects. */
public final class ApiJson {
    public static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ApiJson() {
    }

    public static ObjectNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /** {@code value} as an object with one more field (a secret shown once). */
    public static ObjectNode with(Object value, String field, String extra) {
        ObjectNode n = tree(value);
        n.put(field, extra);
        return n;
    }

    public static JsonNode toTree(Object value) {
        return MAPPER.valueToTree(value);
    }
}
