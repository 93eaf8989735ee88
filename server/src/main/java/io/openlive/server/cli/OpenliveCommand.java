package io.openlive.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code openlive}: the server and its admin commands. */
@Command(name = "openlive", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Open live-streaming platform: one RTMP publish, many host apps, low-latency viewers.",
        subcommands = {ServeCommand.class, RoomCommand.class, AppCommand.class, KeyCommand.class, DeveloperCommand.class,
                ComponentCommand.class, InstanceCommand.class, ReviewCommand.class, CommandLine.HelpCommand.class})
public final class OpenliveCommand {
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs one command line and returns its exit code; tests call this too. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new OpenliveCommand());
        try {
            cli.setDefaultValueProvider(ConfigDefaults.from(args));
        } catch (IllegalArgumentException e) {
            cli.getErr().println("openlive: " + e.getMessage());
            return 2;
        }
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            String message = e instanceof io.openlive.engine.platform.PlatformException p ? p.code() + ": " + p.getMessage() : e.getMessage();
            cmd.getErr().println("openlive: " + (message == null ? e.toString() : message));
            return 1;
        });
        return cli.execute(args);
    }
}
