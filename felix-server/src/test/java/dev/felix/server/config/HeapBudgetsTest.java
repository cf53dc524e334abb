package dev.felix.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeapBudgetsTest {
  private static final long MIB = 1L << 20;

  @Test
  void theDefaultsFitAChartSizedHeap() {
    // 2Gi container: -Xmx1228m; streams default to half of it, caches to 256 MiB.
    long heap = 1228 * MIB;
    assertThat(HeapBudgets.warnings(heap, heap / 2, 256 * MIB)).isEmpty();
  }

  @Test
  void streamsAndCachesThatTogetherNearlyFillTheHeapAreNamed() {
    long heap = 512 * MIB;
    assertThat(HeapBudgets.warnings(heap, heap / 2, 256 * MIB))
        .singleElement()
        .asString()
        .contains("FELIX_STREAMS_MEMORY_MAX_BYTES=268435456")
        .contains("FELIX_CACHES_MAX_BYTES=268435456")
        .contains("105% of the JVM heap");
  }

  @Test
  void theStreamsOverheadCountsTowardsTheWarning() {
    // 900 MiB: the budgets count 706 MiB (78%), but full streams take ~10% more than they count.
    long heap = 900 * MIB;
    assertThat(HeapBudgets.warnings(heap, heap / 2, 256 * MIB))
        .singleElement()
        .asString()
        .contains("taking about 10% more heap than they count")
        .contains("83% of the JVM heap");
  }

  @Test
  void cachesAboveHalfTheHeapAreNamedOnTheirOwn() {
    long heap = 1024 * MIB;
    assertThat(HeapBudgets.warnings(heap, 100 * MIB, 600 * MIB))
        .singleElement()
        .asString()
        .startsWith("cache memory budget FELIX_CACHES_MAX_BYTES=629145600 is more than half");
  }

  @Test
  void anUnboundedHeapIsNotChecked() {
    assertThat(HeapBudgets.warnings(Long.MAX_VALUE, Long.MAX_VALUE / 2, Long.MAX_VALUE / 2))
        .isEmpty();
  }
}
