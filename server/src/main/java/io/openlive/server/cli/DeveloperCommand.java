package io.openlive.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlive.server.api.ApiJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.Map;
import java.util.concurrent.Callable;

/** {@code openlive developer create}: register a developer with a tier. */
@Command(name = "developer", mixinStandardHelpOptions = true, description = "Register developers.",
        subcommands = {DeveloperCommand.Create.class})
final class DeveloperCommand {
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Register a developer and print its id.")
    static final class Create implements Callable<Integer> {
        @Mixin
        ApiTarget target;
        @Option(names = "--name", required = true, description = "Developer or team name.")
        String name;
        @Option(names = "--tier", defaultValue = "third-party", description = "official, second-party or third-party (default: ${DEFAULT-VALUE}).")
        String tier;
        @Option(names = "--json", description = "Print JSON for scripts.")
        boolean json;
        @Spec
        CommandSpec spec;

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
