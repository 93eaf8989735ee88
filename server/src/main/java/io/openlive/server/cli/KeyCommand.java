package io.openlive.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openlive.server.api.ApiJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Map;

/** {@code openlive key create|list|revoke}: API keys with roles. */
@Command(name = "key", mixinStandardHelpOptions = true, description = "Create, list and revoke API keys.",
        subcommands = {KeyCommand.Create.class, KeyCommand.ListKeys.class, KeyCommand.Revoke.class})
final class KeyCommand {
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create an API key and print it (shown once).")
    static final class Create extends AdminCommand {
        @Option(names = "--role", required = true, description = "admin, reviewer, app-operator, app-reviewer, developer or broadcaster.")
        String role;
        @Option(names = "--scope", description = "Host app id (app-operator, app-reviewer), developer id (developer), owner (broadcaster).")
        String scope;
        @Option(names = "--name", description = "A label for the key.")
        String name;

        @Override
        public Integer call() {
            ObjectNode body = ApiJson.MAPPER.createObjectNode().put("role", role);
            if (scope != null) {
                body.put("scope", scope);
            }
            if (name != null) {
                body.put("name", name);
            }
            try (Backend b = target.open()) {
                JsonNode key = b.call("key.create", Map.of(), "", body);
                Output.print(spec, json, key, out -> out.printf("%s key %s%s%n  %s  (shown once)%n", key.path("role").asText(), key.path("id").asText(),
                        key.path("scope").isTextual() ? " for " + key.path("scope").asText() : "", key.path("key").asText()));
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List API keys (not the keys themselves).")
    static final class ListKeys extends AdminCommand {

        @Override
        public Integer call() {
            try (Backend b = target.open()) {
                JsonNode page = b.call("key.list", Map.of(), "?limit=200", null);
                Output.print(spec, json, page.path("items"), out -> {
                    out.printf("%-18s %-13s %-18s %s%n", "ID", "ROLE", "SCOPE", "STATUS");
                    page.path("items").forEach(k -> out.printf("%-18s %-13s %-18s %s%n", k.path("id").asText(), k.path("role").asText(),
                            Output.text(k, "scope"), k.path("revokedAt").isTextual() ? "revoked" : "active"));
                });
            }
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke an API key at once.")
    static final class Revoke extends AdminCommand {
        @Parameters(index = "0", description = "Key id (key_…).")
        String keyId;

        @Override
        public Integer call() {
            try (Backend b = target.open()) {
                JsonNode key = b.call("key.revoke", Map.of("keyId", keyId), "", null);
                Output.print(spec, json, key, out -> out.printf("key %s revoked%n", keyId));
            }
            return 0;
        }
    }
}
