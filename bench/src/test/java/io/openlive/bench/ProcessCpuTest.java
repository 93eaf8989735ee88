package io.openlive.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessCpuTest {
    @Test
    void addsUserAndSystemTicksPastACommandNameWithSpacesAndParentheses() {
        String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 567 0 0 20 0 30 0 100 0 0";
        assertThat(ProcessCpu.ticksOf(stat)).isEqualTo(1234 + 567);
        assertThat(ProcessCpu.share(100, 150, 1.0)).isEqualTo(0.5);
    }

    @Test
    void thisProcessHasUsedSomeCpuAndAGoneOneNone() {
        assertThat(ProcessCpu.ticks(List.of(ProcessHandle.current().pid()))).isPositive();
        assertThat(ProcessCpu.ticks(List.of(Long.MAX_VALUE))).isZero();
    }
}
