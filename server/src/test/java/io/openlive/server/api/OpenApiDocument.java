package io.openlive.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The project's {@code openapi.yaml}, read for tests: operations by id, and a small validator of JSON values against
 * its schemas ({@code $ref}, {@code allOf}, type, required, properties, items, enum, nullable), enough to catch a
 * response that drifted from the document.
 */
final class OpenApiDocument {
    record Operation(String id, String method, String path, JsonNode node) {
    }

    private final JsonNode root;

    private OpenApiDocument(JsonNode root) {
        this.root = root;
    }

    static OpenApiDocument load() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream("/api/openapi.yaml")) {
            return new OpenApiDocument(new ObjectMapper(new YAMLFactory()).readTree(in));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static OpenApiDocument parse(byte[] yaml) throws IOException {
        return new OpenApiDocument(new ObjectMapper(new YAMLFactory()).readTree(yaml));
    }

    List<Operation> operations() {
        List<Operation> out = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> paths = root.get("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> p = paths.next();
            Iterator<Map.Entry<String, JsonNode>> methods = p.getValue().fields();
            while (methods.hasNext()) {
                Map.Entry<String, JsonNode> m = methods.next();
                out.add(new Operation(m.getValue().path("operationId").asText(), m.getKey().toUpperCase(), p.getKey(), m.getValue()));
            }
        }
        return out;
    }

    Operation operation(String id) {
        return operations().stream().filter(o -> o.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("openapi.yaml has no operation " + id));
    }

    /** Problems of {@code value} as the documented response of {@code op} with {@code status}; empty when it conforms. */
    List<String> checkResponse(Operation op, int status, JsonNode value) {
        JsonNode response = op.node().path("responses").path(Integer.toString(status));
        if (response.isMissingNode()) {
            response = op.node().path("responses").path("default");
        }
        JsonNode schema = response.path("content").path("application/json").path("schema");
        List<String> problems = new ArrayList<>();
        if (schema.isMissingNode()) {
            problems.add(op.id() + " documents no JSON body for " + status);
        } else {
            check(schema, value, "$", problems);
        }
        return problems;
    }

    private void check(JsonNode schema, JsonNode value, String at, List<String> problems) {
        if ((value == null || value.isNull()) && schema.path("nullable").asBoolean(false)) {
            return;
        }
        if (schema.has("$ref")) {
            String name = schema.get("$ref").asText().substring("#/components/schemas/".length());
            JsonNode target = root.path("components").path("schemas").path(name);
            if (target.isMissingNode()) {
                problems.add(at + ": $ref to missing schema " + name);
                return;
            }
            check(target, value, at, problems);
            return;
        }
        if (schema.has("allOf")) {
            for (JsonNode s : schema.get("allOf")) {
                check(s, value, at, problems);
            }
            return;
        }
        if (value == null || value.isNull()) {
            if (!schema.path("nullable").asBoolean(false)) {
                problems.add(at + ": null where the document does not allow it");
            }
            return;
        }
        String type = schema.path("type").asText("");
        boolean ok = switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> true;
        };
        if (!ok) {
            problems.add(at + ": expected " + type + ", got " + value.getNodeType());
            return;
        }
        if (schema.has("enum") && value.isTextual()) {
            boolean found = false;
            for (JsonNode e : schema.get("enum")) {
                found |= e.asText().equals(value.asText());
            }
            if (!found) {
                problems.add(at + ": '" + value.asText() + "' is not one of " + schema.get("enum"));
            }
        }
        if (value.isObject()) {
            for (JsonNode r : schema.path("required")) {
                if (!value.has(r.asText())) {
                    problems.add(at + ": required property '" + r.asText() + "' missing");
                }
            }
            if (!schema.path("additionalProperties").asBoolean(true)) {
                value.fieldNames().forEachRemaining(f -> {
                    if (!schema.path("properties").has(f)) {
                        problems.add(at + ": property '" + f + "' is not in the document");
                    }
                });
            }
            Iterator<Map.Entry<String, JsonNode>> props = schema.path("properties").fields();
            while (props.hasNext()) {
                Map.Entry<String, JsonNode> p = props.next();
                if (value.has(p.getKey())) {
                    check(p.getValue(), value.get(p.getKey()), at + "." + p.getKey(), problems);
                }
            }
        }
        if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                check(schema.get("items"), value.get(i), at + "[" + i + "]", problems);
            }
        }
    }
}
