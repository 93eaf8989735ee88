package io.openlive.engine.platform;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What an instance is built from: the host app, the live plugin version and the component versions with their slot and
 * configuration. The same document always hashes to the same id, wherever it was built (API or CLI): the hash is SHA-256
 * over canonical JSON (keys sorted, no whitespace).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InstanceDocument(String app, Part plugin, List<Part> components) {
    /** One version in the instance; {@code component} and {@code version} are filled in by the builder. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Part(String versionId, String component, String version, String slot, JsonNode config) {
        public Part {
            config = config == null || config.isNull() ? JsonNodeFactory.instance.objectNode() : config;
        }
    }

    /** Configuration per component is bounded so an instance stays a small document. */
    public static final int MAX_CONFIG_BYTES = 16 * 1024;
    public static final int MAX_COMPONENTS = 32;

    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .configure(JsonNodeFeature.WRITE_PROPERTIES_SORTED, true)
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    public byte[] canonicalBytes() {
        try {
            JsonNode tree = CANONICAL.valueToTree(this);
            return CANONICAL.writeValueAsString(tree).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw PlatformException.invalid("INSTANCE_INVALID", "instance document cannot be written: " + e.getMessage());
        }
    }

    /** The instance id: lower-case hex SHA-256 of {@link #canonicalBytes()}. */
    public String hash() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonicalBytes()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static InstanceDocument fromJson(JsonNode node) {
        try {
            InstanceDocument d = CANONICAL.treeToValue(node, InstanceDocument.class);
            if (d == null || d.app() == null) {
                throw PlatformException.invalid("INSTANCE_INVALID", "an instance needs app (and plugin.versionId, or none for the official live plugin)");
            }
            return d;
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw PlatformException.invalid("INSTANCE_INVALID", "instance document is not valid: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    public JsonNode toJson() {
        return CANONICAL.valueToTree(this);
    }
}
