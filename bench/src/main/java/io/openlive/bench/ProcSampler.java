package io.openlive.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads /proc: the busy share of one core (user+nice+system+irq+softirq+steal over total) and processes' RSS. */
final class ProcSampler {
    private ProcSampler() {
    }

    /** Jiffies of {@code cpuN}: {busy, total}. */
    static long[] cpu(int core) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
            if (line.startsWith("cpu" + core + " ")) {
                String[] f = line.trim().split("\\s+");
                long user = Long.parseLong(f[1]), nice = Long.parseLong(f[2]), system = Long.parseLong(f[3]);
                long idle = Long.parseLong(f[4]), iowait = Long.parseLong(f[5]), irq = Long.parseLong(f[6]);
                long softirq = Long.parseLong(f[7]), steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
                long busy = user + nice + system + irq + softirq + steal;
                return new long[]{busy, busy + idle + iowait};
            }
        }
        throw new IOException("no cpu" + core + " in /proc/stat");
    }

    static double busyShare(long[] before, long[] after) {
        long total = after[1] - before[1];
        return total <= 0 ? Double.NaN : (double) (after[0] - before[0]) / total;
    }

    /** Sum of VmRSS over the processes, in KiB. */
    static long rssKib(List<Long> pids) {
        long sum = 0;
        for (long pid : pids) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        sum += Long.parseLong(line.replaceAll("\\D", ""));
                    }
                }
            } catch (IOException e) {
                // process gone
            }
        }
        return sum;
    }
}
