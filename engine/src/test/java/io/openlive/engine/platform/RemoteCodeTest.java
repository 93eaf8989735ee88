package io.openlive.engine.platform;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The remote-code scans find what the old regular expressions found, and inputs that made those backtrack for minutes
 * ({@code @import} and 10,000 spaces; a megabyte of {@code <link } or {@code <script }) are scanned in well under a second.
 */
class RemoteCodeTest {
    @Test
    void findsRemoteLoadsInEachLanguage() {
        assertThat(RemoteCode.inMarkup("<p>\n<script src=\" https://cdn.example/x.js\"></script>", false))
                .hasValueSatisfying(f -> assertThat(f).isEqualTo(new RemoteCode.Finding(2, "loads code or styles from https://cdn.example/x.js")));
        assertThat(RemoteCode.inMarkup("<LINK REL=stylesheet HREF=//cdn.example/s.css>", false)).isPresent();
        assertThat(RemoteCode.inMarkup("<iframe src='\\\\evil.example/'></iframe>", false)).isPresent();
        assertThat(RemoteCode.inMarkup("<style>@import 'https://x.example/a.css';</style>", false)).isPresent();
        assertThat(RemoteCode.inMarkup("<script>import('https://x.example/m.js')</script>", false)).isPresent();
        assertThat(RemoteCode.inMarkup("<svg xmlns:xlink='http://www.w3.org/1999/xlink'><script xlink:href='https://x.example/a.js'/></svg>", true)).isPresent();
        assertThat(RemoteCode.inMarkup("<a href=https://example.com>fine</a><img src=https://example.com/i.png>", false)).isEmpty();
        assertThat(RemoteCode.inMarkup("<script type=module src=main.js></script><link rel=stylesheet href=style.css>", false)).isEmpty();

        assertThat(RemoteCode.inCss("a{}\n@import url( \"https://x.example/s.css\" );")).hasValueSatisfying(f -> assertThat(f.line()).isEqualTo(2));
        assertThat(RemoteCode.inCss("@IMPORT\t'//x.example/s.css';")).isPresent();
        assertThat(RemoteCode.inCss("@import 'local.css'; a { background: url(https://x.example/i.png) }")).isEmpty();

        assertThat(RemoteCode.inJavaScript("import x from 'https://x.example/m.js'")).isPresent();
        assertThat(RemoteCode.inJavaScript("await import ( `//x.example/m.js` )")).isPresent();
        assertThat(RemoteCode.inJavaScript("importScripts('http://x.example/w.js')")).isPresent();
        assertThat(RemoteCode.inJavaScript("import { a } from '/sdk/component.js'; const reimport = 'https://x';")).isEmpty();

        assertThat(RemoteCode.evaluation("const f = new   Function('x')")).isPresent();
        assertThat(RemoteCode.evaluation("eval (s)")).isPresent();
        assertThat(RemoteCode.evaluation("retrieval(s); evaluate(s); renew Function")).isEmpty();
    }

    @Test
    void hostileInputsAreScannedInLinearTime() {
        String spaces = " ".repeat(200_000);
        String links = "<link ".repeat(160_000);
        String scripts = "<script ".repeat(110_000);
        String imports = ("import" + " ".repeat(50) + "(").repeat(15_000);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertThat(RemoteCode.inCss("@import" + spaces + "x")).isEmpty();
            assertThat(RemoteCode.inCss(("@import" + " ".repeat(1_000)).repeat(900))).isEmpty();
            assertThat(RemoteCode.inMarkup(links, false)).isEmpty();
            assertThat(RemoteCode.inMarkup(scripts, false)).isEmpty();
            assertThat(RemoteCode.inJavaScript(imports)).isEmpty();
            assertThat(RemoteCode.evaluation(("new" + " ".repeat(1_000)).repeat(900))).isEmpty();
        });
    }
}
