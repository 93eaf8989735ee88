package io.openlive.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.openlive.server.api.ApiJson;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.function.Consumer;

/** Prints a command's result: one line of JSON with {@code --json}, else what a person wants to read. */
final class Output {
    private Output() {
    }

    static void print(CommandSpec spec, boolean json, JsonNode result, Consumer<PrintWriter> human) {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            try {
                out.println(ApiJson.MAPPER.writeValueAsString(result));
            } catch (JsonProcessingException e) {
                throw new CliFailure("cannot print JSON: " + e.getOriginalMessage());
            }
        } else {
            human.accept(out);
        }
        out.flush();
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isMissingNode() || v.isNull() ? "-" : v.asText();
    }
}
