package io.openlive.bench;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** Option values the media bench refuses before it opens a connection: one error line, exit code 2, no stack trace. */
class BenchCommandTest {
    private final StringWriter err = new StringWriter();

    private int media(String... options) {
        CommandLine cli = BenchCommand.commandLine();
        cli.setErr(new PrintWriter(err, true));
        String[] args = new String[options.length + 7];
        args[0] = "media";
        System.arraycopy(new String[]{"--publish", "rtmp://127.0.0.1:1/live/k", "--play", "rtmp://127.0.0.1:1/live/r", "--flv", "none.flv"},
                0, args, 1, 6);
        System.arraycopy(options, 0, args, 7, options.length);
        return cli.execute(args);
    }

    @Test
    void aRampLongerThanItsBoundIsRefusedEvenWhenTheDivisionWouldRoundDown() {
        // 3005 viewers at 10 a second is 300.5 s: integer division said 300 and let it through
        assertThat(media("--steps", "3005", "--connect-rate", "10")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("error: a step of 3005 viewers at --connect-rate 10 would ramp for more than 300 s"
                + System.lineSeparator());
    }

    @Test
    void stepsHoldAndConnectRateOutsideTheirBoundsAreRefused() {
        assertThat(media("--steps", "20001")).isEqualTo(2);
        assertThat(media("--steps", "0")).isEqualTo(2);
        assertThat(media("--hold", "301")).isEqualTo(2);
        assertThat(media("--connect-rate", "5001")).isEqualTo(2);
        assertThat(err.toString().lines()).containsExactly(
                "error: each step must be 1 to 20000 viewers",
                "error: each step must be 1 to 20000 viewers",
                "error: --hold must be 1 to 300 seconds",
                "error: --connect-rate must be 1 to 5000 viewers a second");
    }

    @Test
    void stepsThatAreNotNumbersAreNamedInTheError() {
        assertThat(media("--steps", "500,lots")).isEqualTo(2);
        assertThat(err.toString()).contains("--steps must be viewer counts separated by commas, not '500,lots'")
                .doesNotContain("Exception");
    }

    @Test
    void theFlashSaleRefusesBadCountsAndAnUnreachableServerInOneLine() {
        CommandLine cli = BenchCommand.commandLine();
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute("flash-sale", "--server", "http://127.0.0.1:1", "--api-key", "k", "--buyers", "0")).isEqualTo(2);
        assertThat(cli.execute("flash-sale", "--server", "http://127.0.0.1:1", "--api-key", "k", "--buyers", "10")).isEqualTo(2);
        assertThat(err.toString().lines()).hasSize(2);
        assertThat(err.toString()).contains("error: buyers 1-50000", "error: cannot reach http://127.0.0.1:1").doesNotContain("\tat ");
    }

    private int browser(String... options) {
        CommandLine cli = BenchCommand.commandLine();
        cli.setErr(new PrintWriter(err, true));
        String[] args = new String[options.length + 1];
        args[0] = "browser";
        System.arraycopy(options, 0, args, 1, options.length);
        return cli.execute(args);
    }

    @Test
    void theBrowserModeRefusesBadOptionsInOneLineBeforeABrowserStarts() {
        String page = "http://127.0.0.1:1/demo/shop/";
        assertThat(browser("--url", "file:///etc/passwd")).isEqualTo(2);
        assertThat(browser("--url", page, "--parallel", "5")).isEqualTo(2);
        assertThat(browser("--url", page, "--loads", "-1")).isEqualTo(2);
        assertThat(browser("--url", page, "--stall-seconds", "6")).isEqualTo(2);
        assertThat(browser("--url", page, "--latency-seconds", "90")).isEqualTo(2);
        assertThat(browser("--url", page, "--threshold-ms", "0")).isEqualTo(2);
        assertThat(browser("--url", page, "--chromedriver", "/nonexistent/chromedriver")).isEqualTo(2);
        assertThat(err.toString().lines()).containsExactly(
                "error: --url must be an http:// or https:// page, not file:///etc/passwd",
                "error: --parallel must be 1 to 4 browsers (the machine runs the server too)",
                "error: --loads must be 0 to 1000",
                "error: --stall-seconds must be 0 (no stall) to 5",
                "error: --latency-seconds must leave the warm-up, 10 s measured, the stall and 30 s after it: at least 105",
                "error: --threshold-ms must be over 0 and at most 60000",
                "error: --chromedriver /nonexistent/chromedriver is not an executable file");
    }
}
