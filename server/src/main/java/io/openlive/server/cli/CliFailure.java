package io.openlive.server.cli;

/** A command that could not do what was asked; printed as {@code openlive: CODE: message}, exit status 1. */
final class CliFailure extends RuntimeException {
    CliFailure(String message) {
        super(message, null, false, false);
    }
}
