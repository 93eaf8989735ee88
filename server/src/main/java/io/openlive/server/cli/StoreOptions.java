package io.openlive.server.cli;

import io.openlive.server.store.Database;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where the data lives, shared by every command that opens the store. */
final class StoreOptions {
    @Option(names = "--data-dir", defaultValue = "data", description = "Data directory for the embedded store (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--database-url", defaultValue = "", description = "JDBC URL of a PostgreSQL database instead of the embedded SQLite file.")
    String databaseUrl;

    @Option(names = "--config", description = "Properties file with option defaults (keys are option names without dashes).")
    Path config;

    Database open() {
        return databaseUrl.isEmpty() ? Database.embedded(dataDir) : Database.open(databaseUrl);
    }
}
