package io.openlive.server.cli;

import io.openlive.server.OpenliveServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ServeCommandTest {
    private static OpenliveServer serve(Path dir, StringWriter text, String... more) {
        ServeCommand serve = new ServeCommand();
        List<String> args = new ArrayList<>(List.of("--data-dir", dir.toString(), "--rtmp-port", "0", "--http-port", "0", "--component-port", "0",
                "--host", "127.0.0.1"));
        args.addAll(List.of(more));
        new CommandLine(serve).parseArgs(args.toArray(String[]::new));
        return serve.start(new PrintWriter(text));
    }

    @Test
    void viewerSocketsSendAtOnceUnlessToldToWaitForAcknowledgements(@TempDir Path dir) {
        StringWriter byDefault = new StringWriter();
        serve(dir, byDefault).close();
        assertThat(byDefault.toString()).doesNotContain("Nagle");
        StringWriter nagle = new StringWriter();
        serve(dir, nagle, "--no-viewer-nodelay").close();
        assertThat(nagle.toString()).contains("sockets   viewers' small writes may wait for acknowledgements (Nagle)");
    }

    @Test
    void aNewDataDirectoryPrintsTheFirstAdminKeyOnceAndItWorks(@TempDir Path dir) {
        StringWriter out = new StringWriter();
        serve(dir, out).close();
        String first = out.toString();
        assertThat(first).contains("publish   rtmp://127.0.0.1:", "play      http://127.0.0.1:", "api       http://127.0.0.1:");
        Matcher m = Pattern.compile("admin key (olk_\\w+)").matcher(first);
        assertThat(m.find()).as(first).isTrue();
        StringWriter again = new StringWriter();
        OpenliveServer second = serve(dir, again);
        try {
            assertThat(again.toString()).doesNotContain("admin key");
            String url = "http://127.0.0.1:" + second.httpPort();
            assertThat(OpenliveCommand.run("app", "create", "--name", "X", "--server", url, "--api-key", m.group(1)))
                    .as("the printed key is an admin key").isZero();
            assertThat(OpenliveCommand.run("app", "create", "--name", "X", "--server", url, "--api-key", "olk_guess")).isEqualTo(1);
        } finally {
            second.close();
        }
    }

    @Test
    void demoModeIsOnByDefaultAndPrintsItsPagesAndNoDemoLeavesItOut(@TempDir Path dir) throws Exception {
        StringWriter byDefault = new StringWriter();
        OpenliveServer demo = serve(dir.resolve("a"), byDefault);
        try {
            assertThat(byDefault.toString()).contains("home      http://127.0.0.1:" + demo.httpPort() + "/",
                    "demo      http://127.0.0.1:" + demo.httpPort() + "/demo/shop/", "/demo/pay/",
                    "components http://127.0.0.1:" + demo.componentPort());
            assertThat(demo.demo()).isPresent();
        } finally {
            demo.close();
        }
        StringWriter off = new StringWriter();
        OpenliveServer plain = serve(dir.resolve("b"), off, "--no-demo");
        try {
            assertThat(off.toString()).contains("home ").doesNotContain("/demo/shop/");
            assertThat(plain.demo()).isEmpty();
            assertThat(plain.hub().streams()).as("no loop without demo mode").isEmpty();
        } finally {
            plain.close();
        }
    }
}
