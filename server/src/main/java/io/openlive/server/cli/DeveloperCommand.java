package io.openlive.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlive.server.api.ApiJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Map;

/** {@code openlive developer create}: register a developer with a tier. */
@Command(name = "developer", mixinStandardHelpOptions = true, description = "Register developers.",
        subcommands = {DeveloperCommand.Create.class})
final class DeveloperCommand {
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Register a developer and print its id.")
    static final class Create extends AdminCommand {
        @Option(names = "--name", required = true, description = "Developer or team name.")
        String name;
        @Option(names = "--tier", defaultValue = "third-party", description = "official, second-party or third-party (default: ${DEFAULT-VALUE}).")
        String tier;

        @Override
        public Integer call() {
            try (Backend b = target.open()) {
                JsonNode d = b.call("developer.create", Map.of(), "", ApiJson.MAPPER.createObjectNode().put("name", name).put("tier", tier));
                Output.print(spec, json, d, out -> out.printf("developer %s \"%s\" (%s)%n", d.path("id").asText(), d.path("name").asText(), d.path("tier").asText()));
            }
            return 0;
        }
    }
}
