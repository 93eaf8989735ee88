package io.openlive.server.api;

import io.openlive.server.ServerFixture;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code openapi.yaml} and the routes the server mounts are the same set, with the same methods and path parameters;
 * the document is served at {@code /api/v1/openapi.yaml}. (Response bodies are checked against it in every API test
 * through {@link ApiClient}.)
 */
class OpenApiContractTest {
    /** Operations whose every field is optional take an empty body; the document must not say a body is required. */
    @Test
    void bodiesTheServerDoesNotRequireAreNotMarkedRequired() {
        OpenApiDocument doc = OpenApiDocument.load();
        for (String id : java.util.List.of("version.approve", "delivery.approve", "room.deliver")) {
            org.assertj.core.api.Assertions.assertThat(doc.operation(id).node().path("requestBody").path("required").asBoolean(true))
                    .as(id).isFalse();
        }
    }

    @Test
    void everyMountedOperationIsDocumentedAndEveryDocumentedOneIsMounted() throws Exception {
        try (ServerFixture fixture = ServerFixture.start()) {
            List<ApiOperation> mounted = fixture.server.operations().all();
            List<OpenApiDocument.Operation> documented = OpenApiDocument.load().operations();
            TreeSet<String> code = new TreeSet<>();
            mounted.forEach(o -> code.add(o.name() + " " + o.method() + " " + o.path()));
            TreeSet<String> doc = new TreeSet<>();
            documented.forEach(o -> doc.add(o.id() + " " + o.method() + " " + o.path()));
            assertThat(doc).isEqualTo(code);

            for (OpenApiDocument.Operation o : documented) {
                TreeSet<String> inPath = new TreeSet<>();
                Matcher m = Pattern.compile("\\{(\\w+)}").matcher(o.path());
                while (m.find()) {
                    inPath.add(m.group(1));
                }
                TreeSet<String> declared = new TreeSet<>();
                o.node().path("parameters").forEach(p -> {
                    if (p.path("in").asText().equals("path")) {
                        declared.add(p.path("name").asText());
                    }
                });
                assertThat(declared).as("path parameters of %s", o.id()).isEqualTo(inPath);
                boolean publicRoute = o.node().has("security") && o.node().get("security").isEmpty();
                ApiOperation op = mounted.stream().filter(x -> x.name().equals(o.id())).findFirst().orElseThrow();
                assertThat(publicRoute).as("%s needs a key exactly when the server asks for one", o.id()).isEqualTo(!op.secured());
                assertThat(o.node().has("requestBody")).as("%s documents its body", o.id()).isEqualTo(op.body() != ApiOperation.Body.NONE);
            }

            HttpResponse<byte[]> served = new ApiClient(fixture.http("")).get("/api/v1/openapi.yaml", null);
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(OpenApiDocument.parse(served.body()).operations()).hasSameSizeAs(documented);
        }
    }
}
