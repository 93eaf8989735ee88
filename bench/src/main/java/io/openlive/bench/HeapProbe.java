package io.openlive.bench;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live Java heap of a JVM server: {@code jcmd PID GC.run}, then the "used" figure of {@code jcmd PID GC.heap_info}.
 * Unlike RSS, which keeps the heap's high-water mark and its garbage, this is what the viewers' objects really hold.
 */
final class HeapProbe {
    /** One line per heap (G1) or per generation (Serial, which a JVM pinned to one core picks): summed. */
    private static final Pattern USED = Pattern.compile("total[^\\n]*?used (\\d+)K");
    private final String jcmd;
    private final long pid;

    HeapProbe(String jcmd, long pid) {
        this.jcmd = jcmd;
        this.pid = pid;
    }

    /** Live heap in KiB after a full collection, or -1 if it could not be read. */
    long liveKib() {
        try {
            run("GC.run");
            String info = run("GC.heap_info");
            Matcher m = USED.matcher(info);
            long sum = -1;
            while (m.find()) {
                sum = Math.max(sum, 0) + Long.parseLong(m.group(1));
            }
            if (sum >= 0) {
                return sum;
            }
            System.err.println("heap probe: no heap figure in: " + info.strip());
            return -1;
        } catch (Exception e) {
            System.err.println("heap probe: " + e);
            return -1;
        }
    }

    private String run(String command) throws Exception {
        Process p = new ProcessBuilder(List.of(jcmd, Long.toString(pid), command)).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("jcmd timed out");
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
