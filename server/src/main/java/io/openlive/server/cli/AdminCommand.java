package io.openlive.server.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * What every admin command shares: where it acts ({@code --server}/{@code --api-key}, or {@code --data-dir} offline),
 * {@code --json} for scripts, and the command line it prints to.
 */
abstract class AdminCommand implements Callable<Integer> {
    @Mixin
    ApiTarget target;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    @Spec
    CommandSpec spec;
}
