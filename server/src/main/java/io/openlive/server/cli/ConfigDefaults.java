package io.openlive.server.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

/**
 * Default values for options, so that a flag wins over the environment, which wins over the config file, which wins over
 * the built-in default. Option {@code --rtmp-port} is read from {@code OPENLIVE_RTMP_PORT}, then from key {@code rtmp-port}
 * of the config file: {@code --config FILE}, else {@code OPENLIVE_CONFIG}, else {@code ./openlive.properties} if present.
 */
final class ConfigDefaults implements CommandLine.IDefaultValueProvider {
    private static final Path IMPLICIT = Path.of("openlive.properties");
    private final Properties file = new Properties();

    private ConfigDefaults(Properties file) {
        this.file.putAll(file);
    }

    /** Reads the config file named among {@code args} (or by the environment); fails if a named file is missing. */
    static ConfigDefaults from(String[] args) {
        Path path = explicitPath(args);
        if (path == null) {
            String env = System.getenv("OPENLIVE_CONFIG");
            path = env != null && !env.isBlank() ? Path.of(env) : null;
        }
        Properties properties = new Properties();
        Path toRead = path != null ? path : Files.isRegularFile(IMPLICIT) ? IMPLICIT : null;
        if (toRead != null) {
            try (Reader r = Files.newBufferedReader(toRead)) {
                properties.load(r);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read config file " + toRead + ": " + e.getMessage());
            }
        }
        return new ConfigDefaults(properties);
    }

    private static Path explicitPath(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                return Path.of(args[i + 1]);
            }
            if (args[i].startsWith("--config=")) {
                return Path.of(args[i].substring("--config=".length()));
            }
        }
        return null;
    }

    @Override
    public String defaultValue(CommandLine.Model.ArgSpec argSpec) {
        if (!(argSpec instanceof CommandLine.Model.OptionSpec option) || option.longestName().equals("--config")) {
            return null;
        }
        String key = option.longestName().replaceFirst("^--", "");
        String env = System.getenv("OPENLIVE_" + key.toUpperCase(Locale.ROOT).replace('-', '_'));
        if (env != null && !env.isBlank()) {
            return env;
        }
        String fromFile = file.getProperty(key);
        return fromFile != null ? fromFile.trim() : null;
    }
}
