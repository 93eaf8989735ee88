package io.openlive.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openlive.server.api.ApiJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Map;

/** {@code openlive app create|list|rotate-secret}: host apps. */
@Command(name = "app", mixinStandardHelpOptions = true, description = "Register and manage host apps.",
        subcommands = {AppCommand.Create.class, AppCommand.ListApps.class, AppCommand.RotateSecret.class})
final class AppCommand {
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Register a host app and print its id and secret (shown once).")
    static final class Create extends AdminCommand {
        @Option(names = "--name", required = true, description = "App name.")
        String name;
        @Option(names = "--policy", defaultValue = "direct", description = "direct (trust platform review) or review (review each version).")
        String policy;
        @Option(names = "--origins", split = ",", description = "Origins allowed to embed rooms, comma-separated.")
        List<String> origins = List.of();
        @Option(names = "--third-party-consent", description = "Let third-party components use consent-gated permissions (user:profile).")
        boolean consent;

        @Override
        public Integer call() {
            ObjectNode body = ApiJson.MAPPER.createObjectNode().put("name", name).put("policy", policy).put("thirdPartyConsent", consent);
            origins.forEach(body.putArray("origins")::add);
            try (Backend b = target.open()) {
                JsonNode app = b.call("app.create", Map.of(), "", body);
                Output.print(spec, json, app, out -> out.printf("host app %s \"%s\" (policy %s)%n  secret %s  (shown once: it signs this app's viewer tokens)%n",
                        app.path("id").asText(), app.path("name").asText(), app.path("policy").asText(), app.path("secret").asText()));
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List host apps.")
    static final class ListApps extends AdminCommand {

        @Override
        public Integer call() {
            try (Backend b = target.open()) {
                JsonNode page = b.call("app.list", Map.of(), "?limit=200", null);
                Output.print(spec, json, page.path("items"), out -> {
                    out.printf("%-18s %-8s %s%n", "ID", "POLICY", "NAME");
                    page.path("items").forEach(a -> out.printf("%-18s %-8s %s%n", a.path("id").asText(), a.path("policy").asText(), a.path("name").asText()));
                });
            }
            return 0;
        }
    }

    @Command(name = "rotate-secret", mixinStandardHelpOptions = true, description = "Replace a host app's secret and print the new one.")
    static final class RotateSecret extends AdminCommand {
        @Parameters(index = "0", description = "Host app id.")
        String appId;

        @Override
        public Integer call() {
            try (Backend b = target.open()) {
                JsonNode app = b.call("app.rotate-secret", Map.of("appId", appId), "", null);
                Output.print(spec, json, app, out -> out.printf("host app %s: new secret %s (the old one no longer signs tokens)%n",
                        appId, app.path("secret").asText()));
            }
            return 0;
        }
    }
}
