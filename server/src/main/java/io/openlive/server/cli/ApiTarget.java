package io.openlive.server.cli;

import io.openlive.server.api.ApiOperation;
import io.openlive.server.api.ApiOperations;
import io.openlive.engine.platform.BundleLimits;
import io.openlive.engine.platform.Platform;
import io.openlive.engine.platform.PlatformEvents;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** Where an admin command acts: {@code --server URL --api-key K}, or offline on the embedded store of {@code --data-dir}. */
final class ApiTarget {
    @Mixin
    StoreOptions store;

    @Option(names = "--server", defaultValue = "", description = "URL of a running openlive server (default: work offline on --data-dir).")
    String server;

    @Option(names = "--api-key", defaultValue = "", description = "API key for --server (or OPENLIVE_API_KEY).")
    String apiKey;

    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
    picocli.CommandLine.Model.CommandSpec command;

    Backend open() {
        if (server.isEmpty()) {
            java.nio.file.Path file = store.dataDir.resolve("openlive.db").toAbsolutePath();
            if (store.databaseUrl.isEmpty() && !java.nio.file.Files.exists(file) && command != null) {
                // a developer who forgot --server would otherwise get a new store here without a word
                command.commandLine().getErr().println("no --server: working offline on a new store at " + file
                        + " (changes made here reach a running server only if it uses the same data directory)");
            }
            return new LocalBackend(store.open(), store.dataDir);
        }
        if (apiKey.isEmpty()) {
            throw new CliFailure("--server needs --api-key KEY (or OPENLIVE_API_KEY); `openlive serve` printed the first admin key");
        }
        Map<String, ApiOperation> byName = new HashMap<>();
        // the operation table only describes routes here; nothing in it touches a store when it is not called
        new ApiOperations(new Platform(null, null, Clock.systemUTC(), BundleLimits.defaults(), PlatformEvents.NONE)).all()
                .forEach(o -> byName.put(o.name(), o));
        return new RemoteBackend(server, apiKey, byName);
    }
}
