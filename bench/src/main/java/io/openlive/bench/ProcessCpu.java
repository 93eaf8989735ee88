package io.openlive.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time of processes from {@code /proc/PID/stat} (utime + stime, in clock ticks of 1/100 s, the USER_HZ of every
 * Linux ABI). On a machine shared with other work, a core's busy share counts the others too; a process's own time
 * does not (it leaves out softirq work the kernel does not charge to it). Usage:
 * {@code long t0 = ProcessCpu.ticks(pids); ... ProcessCpu.share(t0, ProcessCpu.ticks(pids), seconds)}
 */
final class ProcessCpu {
    static final int TICKS_PER_SECOND = 100;

    private ProcessCpu() {
    }

    /** Sum of utime + stime over the processes (all their threads); a process that is gone counts 0. */
    static long ticks(List<Long> pids) {
        long sum = 0;
        for (long pid : pids) {
            try {
                sum += ticksOf(Files.readString(Path.of("/proc/" + pid + "/stat")));
            } catch (IOException e) {
                // gone
            }
        }
        return sum;
    }

    /** utime (field 14) + stime (field 15) of one stat line; the command name (field 2) may hold spaces and parentheses. */
    static long ticksOf(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // f[0] is field 3 (state), so field N is f[N - 3]
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** Share of one core used over {@code seconds}; NaN for an empty interval. */
    static double share(long before, long after, double seconds) {
        return seconds <= 0 ? Double.NaN : (after - before) / (seconds * TICKS_PER_SECOND);
    }
}
