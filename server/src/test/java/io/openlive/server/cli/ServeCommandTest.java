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

    /** The flag reaches the node's configuration and the banner; what a sink does with it is ChannelFrameSinkTest's. */
    @Test
    void noViewerNodelayReachesTheNodeAndTheBannerSaysSo(@TempDir Path dir) {
        StringWriter byDefault = new StringWriter();
        OpenliveServer plain = serve(dir, byDefault);
        assertThat(plain.config().viewerNoDelay()).isTrue();
        plain.close();
        assertThat(byDefault.toString()).doesNotContain("Nagle");
        StringWriter nagle = new StringWriter();
        OpenliveServer waiting = serve(dir, nagle, "--no-viewer-nodelay");
        assertThat(waiting.config().viewerNoDelay()).isFalse();
        waiting.close();
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

    @Test
    void anOrderLifetimeMustBePositive(@TempDir Path dir) {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs("--data-dir", dir.toString(), "--order-ttl", "0s");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> serve.start(new PrintWriter(new StringWriter())))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--order-ttl must be positive");
    }

    /** --rtmp-pending-per-address reaches the node (default 256, 0 = no cap); a negative one stops it, naming the option. */
    @Test
    void rtmpPendingPerAddressReachesTheNodeAndANegativeOneIsRefused(@TempDir Path dir) {
        OpenliveServer byDefault = serve(dir.resolve("a"), new StringWriter(), "--no-demo");
        try {
            assertThat(byDefault.config().rtmpLimits().maxPendingPerAddress()).isEqualTo(256);
        } finally {
            byDefault.close();
        }
        OpenliveServer open = serve(dir.resolve("b"), new StringWriter(), "--no-demo", "--rtmp-pending-per-address", "0");
        try {
            assertThat(open.config().rtmpLimits().maxPendingPerAddress()).isZero();
        } finally {
            open.close();
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> serve(dir.resolve("c"), new StringWriter(), "--no-demo",
                        "--rtmp-pending-per-address", "-1"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--rtmp-pending-per-address must be 0 (no limit) or positive, not -1");
    }

    /** --restream-trust reaches the node; a file without a certificate stops it at start, naming the option. */
    @Test
    void restreamTrustReachesTheNodeAndABadFileStopsIt(@TempDir Path dir) throws Exception {
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((java.security.KeyStore) null);
        java.security.cert.X509Certificate ca = ((javax.net.ssl.X509TrustManager) tmf.getTrustManagers()[0]).getAcceptedIssuers()[0];
        Path pem = java.nio.file.Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(ca.getEncoded()) + "\n-----END CERTIFICATE-----\n");
        OpenliveServer trusting = serve(dir.resolve("a"), new StringWriter(), "--no-demo", "--restream-trust", pem.toString());
        try {
            assertThat(trusting.config().restream().trustFile()).isEqualTo(pem);
        } finally {
            trusting.close();
        }
        Path junk = java.nio.file.Files.writeString(dir.resolve("junk.pem"), "not a certificate\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> serve(dir.resolve("b"), new StringWriter(), "--no-demo",
                "--restream-trust", junk.toString())).hasStackTraceContaining("--restream-trust " + junk);
    }
}
