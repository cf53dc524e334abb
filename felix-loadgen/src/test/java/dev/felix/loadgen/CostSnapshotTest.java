package dev.felix.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CostSnapshotTest {
  @Test
  void countsBelowOneKeepThreeDecimalsSoAThroughputRunDoesNotReadZero() {
    assertThat(CostSnapshot.describeCounts(0.0213, 0.0198))
        .isEqualTo("0.021 thread wake-ups, 0.020 UDP datagrams");
    assertThat(CostSnapshot.describeCounts(10.54, 5.46))
        .isEqualTo("10.5 thread wake-ups, 5.5 UDP datagrams");
  }

  @Test
  void anUnknownCountIsLeftOut() {
    assertThat(CostSnapshot.describeCounts(2.9, Double.NaN)).isEqualTo("2.9 thread wake-ups");
    assertThat(CostSnapshot.describeCounts(Double.NaN, Double.NaN)).isEmpty();
  }

  @Test
  void aRunsCostIsPerUnitAndUnknownWithoutUnitsOrCounts() {
    CostSnapshot.Cost cost = new CostSnapshot.Cost(1.0, 0.5, 500, -1);
    assertThat(cost.wakeupsPer(200)).isEqualTo(2.5);
    assertThat(cost.wakeupsPer(0)).isNaN();
    assertThat(cost.datagramsPer(200)).isNaN();
  }
}
