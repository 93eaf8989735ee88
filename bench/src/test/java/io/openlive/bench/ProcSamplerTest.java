package io.openlive.bench;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProcSamplerTest {
    @Test
    void aCoresJiffiesGrowWithTimeAndBusyIsPartOfThem() throws Exception {
        long[] before = ProcSampler.cpu(0);
        assertThat(before[0]).isBetween(0L, before[1]);
        // /proc/stat counts in ticks of 10 ms; read it until the core's total moves on, however slowly a loaded machine runs
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        long[] after = ProcSampler.cpu(0);
        while (after[1] == before[1] && System.nanoTime() < deadline) {
            Thread.sleep(5); // the poll interval, not the wait: the loop ends on the counter
            after = ProcSampler.cpu(0);
        }
        assertThat(after[1]).as("core 0's jiffies within 10 s").isGreaterThan(before[1]);
        assertThat(after[0]).isGreaterThanOrEqualTo(before[0]);
        assertThat(ProcSampler.busyShare(before, after)).isBetween(0.0, 1.0);
    }

    @Test
    void busyShareIsBusyJiffiesOverAllJiffies() {
        assertThat(ProcSampler.busyShare(new long[]{100, 1000}, new long[]{160, 1200})).isEqualTo(0.3);
        assertThat(ProcSampler.busyShare(new long[]{100, 1000}, new long[]{100, 1000})).isNaN();
    }

    @Test
    void aCoreThatDoesNotExistIsAnErrorAndAGoneProcessHasNoMemory() {
        assertThatThrownBy(() -> ProcSampler.cpu(4096)).isInstanceOf(IOException.class).hasMessageContaining("cpu4096");
        assertThat(ProcSampler.rssKib(List.of(ProcessHandle.current().pid()))).isPositive();
        assertThat(ProcSampler.rssKib(List.of(Long.MAX_VALUE))).isZero();
    }
}
