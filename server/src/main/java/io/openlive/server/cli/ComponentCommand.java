package io.openlive.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openlive.engine.platform.Bundle;
import io.openlive.engine.platform.BundleChecks;
import io.openlive.engine.platform.BundleLimits;
import io.openlive.engine.platform.CheckReport;
import io.openlive.engine.platform.Manifest;
import io.openlive.engine.platform.PlatformException;
import io.openlive.server.api.ApiJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** {@code openlive component init|pack|push|submit|status}: a developer's loop from an empty directory to review. */
@Command(name = "component", mixinStandardHelpOptions = true, description = "Build, upload and submit components.",
        subcommands = {ComponentCommand.Init.class, ComponentCommand.Pack.class, ComponentCommand.Push.class,
                ComponentCommand.Submit.class, ComponentCommand.Status.class})
final class ComponentCommand {
    @Command(name = "init", mixinStandardHelpOptions = true, description = "Write a starter component (manifest, page, script, style) into DIR.")
    static final class Init implements Callable<Integer> {
        @Parameters(index = "0", description = "Directory to create.")
        Path dir;
        @Option(names = "--id", required = true, description = "Component id, dotted lower-case (acme.coupon).")
        String id;
        @Option(names = "--name", description = "Display name (default: the id).")
        String name;
        @Option(names = "--kind", defaultValue = "component", description = "component or plugin (default: ${DEFAULT-VALUE}).")
        String kind;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            if (!Manifest.isValidId(id)) {
                throw new CliFailure("--id must be dotted lower-case names such as acme.coupon");
            }
            if (Files.exists(dir.resolve("manifest.json"))) {
                throw new CliFailure(dir.resolve("manifest.json") + " exists; init writes only into a new directory");
            }
            Files.createDirectories(dir);
            ObjectNode m = ApiJson.MAPPER.createObjectNode().put("id", id).put("name", name == null ? id : name).put("version", "0.1.0")
                    .put("kind", kind).put("entry", "index.html");
            m.putArray("slots").add(kind.equals("plugin") ? "stage" : "bottom");
            m.putArray("permissions").add("room:read").add("comment:read").add("comment:write"); // the starter calls comment.send
            ObjectNode topics = m.putObject("topics");
            topics.putArray("subscribe").add("comment");
            topics.putArray("emit").add(id + ".clicked");
            m.putObject("size").put("width", 320).put("height", 120);
            Files.writeString(dir.resolve("manifest.json"), ApiJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(m) + "\n");
            Files.writeString(dir.resolve("index.html"), """
                    <!doctype html>
                    <html>
                    <head><meta charset="utf-8"><link rel="stylesheet" href="style.css"><script type="module" src="main.js"></script></head>
                    <body><button id="action">Say hi</button><ul id="comments"></ul></body>
                    </html>
                    """);
            Files.writeString(dir.resolve("main.js"), """
                    // Runs sandboxed in the live room; talks to it only through the emitter (RPC and topics in manifest.json).
                    import { attachEmitter } from '/sdk/component.js';

                    const list = document.getElementById('comments');
                    const live = attachEmitter({
                      onMessage(topic, data) {
                        if (topic === 'comment') list.insertAdjacentHTML('beforeend', `<li>${String(data.text).replace(/</g, '&lt;')}</li>`);
                      },
                    }, { rpc: true });
                    document.getElementById('action').onclick = () => live.call('comment.send', { text: 'hi' });
                    """);
            Files.writeString(dir.resolve("style.css"), "body { font: 14px system-ui; margin: 0; }\n");
            PrintWriter out = spec.commandLine().getOut();
            out.printf("wrote %s (manifest.json, index.html, main.js, style.css)%n  next: openlive component pack %s%n", dir, dir);
            out.flush();
            return 0;
        }
    }

    @Command(name = "pack", mixinStandardHelpOptions = true, description = "Zip DIR into a bundle and run the checks that need no server.")
    static final class Pack implements Callable<Integer> {
        @Parameters(index = "0", description = "Component directory (with manifest.json).")
        Path dir;
        @Option(names = {"-o", "--output"}, description = "Zip to write (default: ID-VERSION.zip in the current directory).")
        Path output;
        @Option(names = "--json", description = "Print JSON for scripts.")
        boolean json;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            byte[] zip = pack(dir);
            Bundle bundle = readBundle(zip);
            CheckReport report = BundleChecks.offline(bundle, BundleLimits.defaults());
            Manifest m = bundle.manifest();
            Path target = output != null ? output : Path.of(m.id() + "-" + m.version() + ".zip");
            if (report.passed()) {
                Files.write(target, zip);
            }
            ObjectNode result = ApiJson.MAPPER.createObjectNode();
            if (report.passed()) {
                result.put("file", target.toString()); // only a file that was written
            }
            result.put("bytes", zip.length).put("passed", report.passed());
            result.set("report", ApiJson.toTree(report));
            Output.print(spec, json, result, out -> {
                printReport(out, report);
                out.println(report.passed() ? "packed " + target + " (" + zip.length + " bytes)" : "not packed: fix the failures above");
            });
            return report.passed() ? 0 : 1;
        }
    }

    @Command(name = "push", mixinStandardHelpOptions = true, description = "Upload a bundle (zip, or a directory packed on the fly) as a draft version.")
    static final class Push extends AdminCommand {
        @Parameters(index = "0", description = "Bundle zip or component directory.")
        Path source;
        @Option(names = "--developer", description = "Developer id, when an admin registers the component (offline).")
        String developer;

        @Override
        public Integer call() throws IOException {
            byte[] zip = Files.isDirectory(source) ? pack(source) : Files.readAllBytes(source);
            Manifest m = readBundle(zip).manifest();
            try (Backend b = target.open()) {
                JsonNode version;
                try {
                    version = b.upload(m.id(), zip);
                } catch (CliFailure e) {
                    if (!e.getMessage().startsWith("COMPONENT_NOT_FOUND")) {
                        throw e;
                    }
                    // first push of this id: register it for the developer, then upload
                    ObjectNode reg = ApiJson.MAPPER.createObjectNode().put("id", m.id()).put("name", m.name()).put("kind", m.kind());
                    if (developer != null) {
                        reg.put("developerId", developer);
                    }
                    b.call("component.create", Map.of(), "", reg);
                    version = b.upload(m.id(), zip);
                }
                JsonNode v = version;
                Output.print(spec, json, v, out -> out.printf("uploaded %s %s as %s (%s)%n  next: openlive component submit %s%n",
                        m.id(), m.version(), v.path("id").asText(), v.path("state").asText(), v.path("id").asText()));
            }
            return 0;
        }
    }

    @Command(name = "submit", mixinStandardHelpOptions = true, description = "Submit a version: run the automated checks and queue it for review.")
    static final class Submit extends AdminCommand {
        @Parameters(index = "0", description = "Version id (ver_…).")
        String versionId;

        @Override
        public Integer call() {
            try (Backend b = target.open()) {
                JsonNode v = b.call("version.submit", Map.of("versionId", versionId), "", null);
                Output.print(spec, json, v, out -> {
                    printReport(out, ApiJson.MAPPER.convertValue(v.path("report"), CheckReport.class));
                    out.printf("%s %s: %s%n", v.path("componentId").asText(), v.path("version").asText(), v.path("state").asText());
                });
                return v.path("state").asText().equals("checks_failed") ? 1 : 0;
            }
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show a version (ver_…) or every version of a component.")
    static final class Status extends AdminCommand {
        @Parameters(index = "0", description = "Version id or component id.")
        String id;

        @Override
        public Integer call() {
            try (Backend b = target.open()) {
                JsonNode result = id.startsWith("ver_") ? b.call("version.get", Map.of("versionId", id), "", null)
                        : b.call("version.list", Map.of("componentId", id), "", null).path("items");
                Output.print(spec, json, result, out -> {
                    out.printf("%-18s %-12s %-14s %s%n", "VERSION ID", "VERSION", "STATE", "REASON");
                    for (JsonNode v : result.isArray() ? result : ApiJson.MAPPER.createArrayNode().add(result)) {
                        out.printf("%-18s %-12s %-14s %s%n", v.path("id").asText(), v.path("version").asText(), v.path("state").asText(),
                                Output.text(v, "reason"));
                    }
                });
            }
            return 0;
        }
    }

    /** Zips the regular files of {@code dir}, skipping hidden ones (.git, .DS_Store), with '/' paths. */
    static byte[] pack(Path dir) throws IOException {
        if (!Files.isRegularFile(dir.resolve("manifest.json"))) {
            throw new CliFailure(dir + " has no manifest.json (start with: openlive component init DIR --id ID)");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes); Stream<Path> walk = Files.walk(dir)) {
            List<Path> files = walk.filter(Files::isRegularFile)
                    .filter(p -> dir.relativize(p).toString().chars().noneMatch(c -> c == '\\'))
                    .filter(p -> Stream.of(dir.relativize(p).toString().split("/")).noneMatch(s -> s.startsWith(".")))
                    .sorted().toList();
            for (Path f : files) {
                zip.putNextEntry(new ZipEntry(dir.relativize(f).toString().replace(java.io.File.separatorChar, '/')));
                zip.write(Files.readAllBytes(f));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    static Bundle readBundle(byte[] zip) {
        try {
            Bundle b = Bundle.read(zip, BundleLimits.defaults());
            b.manifest();
            return b;
        } catch (PlatformException e) {
            throw new CliFailure(e.code() + ": " + e.getMessage());
        }
    }

    static void printReport(PrintWriter out, CheckReport report) {
        if (report == null) {
            return;
        }
        for (CheckReport.Check c : report.checks()) {
            out.printf("  %-4s %s%n", c.passed() ? "ok" : "FAIL", c.name());
            c.reasons().forEach(r -> out.printf("         %s%n", r));
        }
    }
}
