package io.openlive.server.http;

import io.openlive.server.ServerFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The platform origin's static files and the component origin's two routes, over real sockets. */
class WebRootTest {
    static ServerFixture fixture;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        fixture = ServerFixture.start();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    static HttpResponse<String> get(String url, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void homePageIsHtmlWithAnEtagAndNoCache() throws Exception {
        HttpResponse<String> home = get(fixture.http("/"));
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(home.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(home.body()).containsIgnoringCase("<html");
        String etag = home.headers().firstValue("ETag").orElseThrow();
        assertThat(get(fixture.http("/"), "If-None-Match", etag).statusCode()).isEqualTo(304);
        assertThat(get(fixture.http("/index.html"), "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
    }

    @Test
    void modulesAreJavaScriptAndFoldersGetTheirSlash() throws Exception {
        HttpResponse<String> js = get(fixture.http("/test-assets/nested/module.js"));
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(js.body()).contains("answer = 42");

        HttpResponse<String> bare = get(fixture.http("/test-assets/nested?x=1"));
        assertThat(bare.statusCode()).isEqualTo(301);
        assertThat(bare.headers().firstValue("Location")).hasValue("/test-assets/nested/?x=1");
        assertThat(get(fixture.http("/test-assets/nested/")).body()).contains("<title>nested</title>");
    }

    @Test
    void theConsoleAloneCarriesAContentSecurityPolicy() throws Exception {
        for (String path : List.of("/console/", "/console/app.js", "/console/console.css")) {
            HttpResponse<String> r = get(fixture.http(path));
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Security-Policy")).as(path).hasValue(WebRoot.CONSOLE_CSP);
        }
        assertThat(get(fixture.http("/vendor/uplot/uPlot.iife.min.js")).statusCode()).as("uPlot from its WebJar").isEqualTo(200);
        assertThat(get(fixture.http("/vendor/uplot/uPlot.min.css")).statusCode()).isEqualTo(200);
        // the demo pages are embedded by host apps and load their own players: the console's policy is not theirs
        assertThat(get(fixture.http("/")).headers().firstValue("Content-Security-Policy")).isEmpty();
        assertThat(get(fixture.http("/")).body()).contains("href=\"/console/\"");
    }

    @Test
    void unknownFilesAndApiPathsKeepTheirJson404() throws Exception {
        HttpResponse<String> missing = get(fixture.http("/sdk/nothing-here.js"));
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("\"code\":\"NOT_FOUND\"");
        assertThat(get(fixture.http("/api/v1/openapi.yaml")).headers().firstValue("Content-Type")).hasValue("application/yaml");
        assertThat(get(fixture.http("/healthz")).body()).contains("ok");
    }

    @Test
    void noPathLeavesTheWebFolder() throws Exception {
        // raw request lines, so no client normalises them first
        for (String path : new String[]{"/../logback.xml", "/test-assets/../../logback.xml", "/..%2flogback.xml",
                "/test-assets/%2e%2e/%2e%2e/logback.xml", "/test-assets/..%5c..%5clogback.xml", "/.%2e/api/openapi.yaml",
                "/db/migration/V1__rooms.sql", "/%2e%2e/db/migration/V1__rooms.sql", "/test-assets/nested/.hidden.js"}) {
            String response = raw(fixture.server.httpPort(), path);
            assertThat(response).as(path).doesNotContain("<configuration").doesNotContain("CREATE TABLE").doesNotContain("openapi:");
            assertThat(response).as(path).matches("(?s)HTTP/1\\.1 (400|404) .*");
        }
    }

    @Test
    void componentOriginServesOnlyBundlesAndTheComponentSdk() throws Exception {
        String origin = "http://127.0.0.1:" + fixture.server.componentPort();
        assertThat(fixture.server.componentOrigin()).isEqualTo(origin);
        HttpResponse<String> home = get(origin + "/");
        assertThat(home.statusCode()).isEqualTo(404);
        assertThat(home.body()).contains("NOT_FOUND");
        assertThat(get(origin + "/api/v1/openapi.yaml").statusCode()).isEqualTo(404);
        assertThat(get(origin + "/test-assets/nested/module.js").statusCode()).isEqualTo(404);
        assertThat(get(origin + "/bundles/app_x/ver_y/index.html").statusCode()).isEqualTo(404);
        HttpResponse<String> onPlatform = get(fixture.http("/sdk/component.js"));
        HttpResponse<String> onComponents = get(origin + "/sdk/component.js");
        assertThat(onPlatform.statusCode()).isEqualTo(200);
        assertThat(onComponents.statusCode()).isEqualTo(200);
        assertThat(onComponents.body()).as("the same bytes on both origins").isEqualTo(onPlatform.body()).contains("attachEmitter");
        assertThat(onComponents.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(onComponents.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    }

    private static String raw(int port, String path) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
