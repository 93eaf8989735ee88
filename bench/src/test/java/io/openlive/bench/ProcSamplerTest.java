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
        Thread.sleep(50); // /proc/stat counts in 10 ms ticks
        long[] after = ProcSampler.cpu(0);
        assertThat(after[1]).isGreaterThan(before[1]);
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
