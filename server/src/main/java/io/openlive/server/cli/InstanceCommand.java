package io.openlive.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openlive.engine.platform.InstanceDocument;
import io.openlive.engine.platform.PlatformException;
import io.openlive.server.api.ApiJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code openlive instance build|push}: a host app's instance. {@code build} is a local build by default: it resolves
 * the versions, writes the canonical document and its hash to a file, and {@code push} uploads it, where the server
 * checks it again. {@code build --cloud} asks the server to build it instead.
 */
@Command(name = "instance", mixinStandardHelpOptions = true, description = "Build and upload host-app instances.",
        subcommands = {InstanceCommand.Build.class, InstanceCommand.Push.class})
final class InstanceCommand {
    @Command(name = "build", mixinStandardHelpOptions = true, description = "Build an instance: the live plugin plus component versions.")
    static final class Build extends AdminCommand {
        @Option(names = "--app", required = true, description = "Host app id.")
        String appId;
        @Option(names = "--plugin", description = "Version id of the live plugin (default: the newest openlive.live live in the app).")
        String plugin;
        @Option(names = "--component", description = "Component version id, optionally @slot (ver_abc@bottom); repeatable.")
        List<String> components = List.of();
        @Option(names = "--set", description = "Configuration of a version as VERSION_ID=JSON; repeatable.")
        Map<String, String> configs = Map.of();
        @Option(names = {"-o", "--output"}, defaultValue = "instance.json", description = "Where a local build is written (default: ${DEFAULT-VALUE}).")
        Path output;
        @Option(names = "--cloud", description = "Have the server build it (nothing is written locally).")
        boolean cloud;
        @Option(names = "--push", description = "Upload the local build right away.")
        boolean push;

        @Override
        public Integer call() throws IOException {
            try (Backend b = target.open()) {
                InstanceDocument.Part pluginPart = part(b, plugin != null ? plugin : officialPlugin(b), null);
                List<InstanceDocument.Part> parts = new ArrayList<>();
                for (String c : components) {
                    int at = c.indexOf('@');
                    parts.add(part(b, at < 0 ? c : c.substring(0, at), at < 0 ? null : c.substring(at + 1)));
                }
                InstanceDocument doc = new InstanceDocument(appId, pluginPart, parts);
                if (cloud) {
                    JsonNode built = b.call("instance.build", Map.of("appId", appId), "", doc.toJson());
                    Output.print(spec, json, built, out -> out.printf("built instance %s for %s (cloud)%n", built.path("id").asText(), appId));
                    return 0;
                }
                ObjectNode file = ApiJson.MAPPER.createObjectNode();
                file.set("document", doc.toJson());
                file.put("hash", doc.hash());
                Files.writeString(output, ApiJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(file) + "\n");
                JsonNode result = push ? b.call("instance.push", Map.of("appId", appId), "", file) : file;
                Output.print(spec, json, result, out -> {
                    out.printf("built instance %s for %s: %s%n", doc.hash(), appId, output);
                    if (push) {
                        out.printf("pushed: instance %s%n", result.path("id").asText());
                    } else {
                        out.printf("  next: openlive instance push %s --app %s%n", output, appId);
                    }
                });
                return 0;
            }
        }

        /** The newest version of the official live plugin that is live in the app, as a cloud build would pick it. */
        private String officialPlugin(Backend b) {
            JsonNode live = b.call("delivery.list", Map.of("appId", appId), "state=live&limit=200", null);
            String best = null;
            io.openlive.engine.platform.Semver newest = null;
            for (JsonNode d : live.path("items")) {
                if (d.path("componentId").asText().equals(io.openlive.engine.platform.OfficialComponents.LIVE_PLUGIN)) {
                    var v = io.openlive.engine.platform.Semver.parse(d.path("version").asText());
                    if (newest == null || v.compareTo(newest) > 0) {
                        newest = v;
                        best = d.path("versionId").asText();
                    }
                }
            }
            if (best == null) {
                throw new CliFailure("INSTANCE_INVALID: no --plugin given and " + io.openlive.engine.platform.OfficialComponents.LIVE_PLUGIN
                        + " is not live in host app " + appId);
            }
            return best;
        }

        /** Fills in component and version from the store, so the local document is the one the server will compute. */
        private InstanceDocument.Part part(Backend b, String versionId, String slot) {
            JsonNode v = b.call("version.get", Map.of("versionId", versionId), "", null);
            JsonNode config = ApiJson.MAPPER.createObjectNode();
            String text = configs.get(versionId);
            if (text != null) {
                try {
                    config = ApiJson.MAPPER.readTree(text);
                } catch (IOException e) {
                    throw new CliFailure("--set " + versionId + "=… is not JSON");
                }
            }
            String s = slot != null ? slot : v.path("manifest").path("slots").path(0).asText(null);
            return new InstanceDocument.Part(versionId, v.path("componentId").asText(), v.path("version").asText(), s, config);
        }
    }

    @Command(name = "push", mixinStandardHelpOptions = true, description = "Upload a locally built instance; the server checks it again.")
    static final class Push extends AdminCommand {
        @Parameters(index = "0", description = "Instance file written by instance build.")
        Path file;
        @Option(names = "--app", description = "Host app id (default: the document's).")
        String appId;

        @Override
        public Integer call() throws IOException {
            JsonNode content;
            try {
                content = ApiJson.MAPPER.readTree(Files.readAllBytes(file));
            } catch (IOException e) {
                throw new CliFailure(file + " is not an instance file: " + e.getMessage());
            }
            String app = appId != null ? appId : content.path("document").path("app").asText(null);
            if (app == null) {
                throw new CliFailure(file + " names no host app; pass --app");
            }
            try (Backend b = target.open()) {
                JsonNode pushed = b.call("instance.push", new HashMap<>(Map.of("appId", app)), "", content);
                Output.print(spec, json, pushed, out -> out.printf("pushed instance %s for %s%n", pushed.path("id").asText(), app));
            } catch (PlatformException e) {
                throw new CliFailure(e.code() + ": " + e.getMessage());
            }
            return 0;
        }
    }
}
