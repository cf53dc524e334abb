package dev.felix.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;

import org.junit.jupiter.api.Test;

class ProcessStatsTest {
  @Test
  void readsThisProcessesCpuAndMemoryFromProc() throws Exception {
    ProcessStats before = ProcessStats.of(ProcessHandle.current().pid());
    long spin = System.nanoTime() + 200_000_000L;
    double sink = 0;
    while (System.nanoTime() < spin) {
      sink += Math.sqrt(sink + 1);
    }
    ProcessStats after = ProcessStats.of(ProcessHandle.current().pid());

    assertThat(sink).isPositive();
    assertThat(after.cpuSeconds()).isGreaterThan(before.cpuSeconds());
    assertThat(after.rssBytes()).isGreaterThan(1L << 20);
    assertThat(after.peakRssBytes()).isGreaterThanOrEqualTo(after.rssBytes());
    assertThat(after.since(before, "self")).startsWith("self process: cpu ").contains(" for a CPU");
  }

  @Test
  void thisProcessRssMatchesWhatProcReportsForItsPid() throws Exception {
    long own = ProcessStats.thisProcessRssBytes();
    long byPid = ProcessStats.of(ProcessHandle.current().pid()).rssBytes();

    assertThat(own).isGreaterThan(1L << 20);
    // Read moments apart, so allow the heap to have touched a few more pages meanwhile.
    assertThat((double) own).isCloseTo(byPid, withPercentage(10));
  }
}
