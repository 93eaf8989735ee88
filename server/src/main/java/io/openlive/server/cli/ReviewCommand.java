package io.openlive.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openlive.server.api.ApiJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Map;

/** {@code openlive review queue|approve|reject|revoke}: the platform reviewer's desk, and the kill switch. */
@Command(name = "review", mixinStandardHelpOptions = true, description = "Review submitted versions; revoke one in an emergency.",
        subcommands = {ReviewCommand.Queue.class, ReviewCommand.Decide.class})
final class ReviewCommand {
    @Command(name = "queue", mixinStandardHelpOptions = true, description = "Versions waiting for review, oldest first.")
    static final class Queue extends AdminCommand {

        @Override
        public Integer call() {
            try (Backend b = target.open()) {
                JsonNode page = b.call("review.queue", Map.of(), "?limit=200", null);
                Output.print(spec, json, page.path("items"), out -> {
                    out.printf("%-18s %-30s %s%n", "VERSION ID", "COMPONENT", "VERSION");
                    page.path("items").forEach(v -> out.printf("%-18s %-30s %s%n", v.path("id").asText(), v.path("componentId").asText(), v.path("version").asText()));
                });
            }
            return 0;
        }
    }

    @Command(name = "decide", aliases = {}, mixinStandardHelpOptions = true,
            description = "approve, reject or revoke a version (reject and revoke need --reason).")
    static final class Decide extends AdminCommand {
        @Parameters(index = "0", description = "approve, reject or revoke.")
        String decision;
        @Parameters(index = "1", description = "Version id (ver_…).")
        String versionId;
        @Option(names = "--reason", description = "Why; shown to the developer.")
        String reason;

        @Override
        public Integer call() {
            if (!decision.equals("approve") && !decision.equals("reject") && !decision.equals("revoke")) {
                throw new CliFailure("decision must be approve, reject or revoke, not '" + decision + "'");
            }
            ObjectNode body = ApiJson.MAPPER.createObjectNode();
            if (reason != null) {
                body.put("reason", reason);
            }
            try (Backend b = target.open()) {
                JsonNode v = b.call("version." + decision, Map.of("versionId", versionId), "", body);
                Output.print(spec, json, v, out -> out.printf("%s %s: %s%n", v.path("componentId").asText(), v.path("version").asText(), v.path("state").asText()));
                if (decision.equals("revoke") && target.server.isEmpty()) {
                    // the store changed, but no running server heard of it: its live rooms keep the version until they reload
                    spec.commandLine().getErr().println("offline: revoked in the store of " + target.store.dataDir.toAbsolutePath()
                            + "; rooms live on a running server are not told. Revoke with --server URL --api-key KEY to unmount it at once.");
                }
            }
            return 0;
        }
    }
}
