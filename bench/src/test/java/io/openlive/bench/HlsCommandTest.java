package io.openlive.bench;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** Option values {@code openlive-bench hls} refuses before it opens a connection: one error line, exit code 2. */
class HlsCommandTest {
    private final StringWriter err = new StringWriter();

    private int hls(String playlist, String... options) {
        CommandLine cli = BenchCommand.commandLine();
        cli.setErr(new PrintWriter(err, true));
        String[] fixed = {"hls", "--publish", "rtmp://127.0.0.1:1/live/k", "--playlist", playlist, "--flv", "none.flv"};
        String[] args = new String[fixed.length + options.length];
        System.arraycopy(fixed, 0, args, 0, fixed.length);
        System.arraycopy(options, 0, args, fixed.length, options.length);
        return cli.execute(args);
    }

    @Test
    void refusesBoundsAndAPlaylistThatIsNotHttp() {
        String ok = "http://127.0.0.1:1/live/r.m3u8";
        assertThat(hls(ok, "--hold", "0")).isEqualTo(2);
        assertThat(hls(ok, "--connect-rate", "0")).isEqualTo(2);
        assertThat(hls(ok, "--steps", "20001")).isEqualTo(2);
        assertThat(hls(ok, "--start-targets", "11")).isEqualTo(2);
        assertThat(hls("https://127.0.0.1:1/live/r.m3u8")).isEqualTo(2);
        assertThat(err.toString().lines()).containsExactly(
                "error: --hold must be 1 to 300 seconds, --settle 0 to 120",
                "error: --connect-rate must be 1 to 5000 viewers a second",
                "error: each step must be 1 to 20000 viewers",
                "error: --start-targets must be 0 to 10",
                "error: --playlist must be an http:// URL, not https://127.0.0.1:1/live/r.m3u8");
    }

    @Test
    void takesTheModeCaseInsensitively() {
        assertThat(hls("http://127.0.0.1:1/live/r.m3u8", "--mode", "ll_hls", "--hold", "0")).isEqualTo(2);
        assertThat(err.toString()).startsWith("error: --hold"); // got past the mode
    }
}
