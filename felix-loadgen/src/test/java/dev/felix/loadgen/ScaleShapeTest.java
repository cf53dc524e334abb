package dev.felix.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScaleShapeTest {
  @Test
  void w6SpreadsTenThousandSubscriptionsSoEveryConnectionReadsEveryStream() {
    ScaleShape w6 = ScaleShape.W6;
    assertThat(w6.subscriptions()).isEqualTo(10_000);
    assertThat(w6.publishRate()).isEqualTo(100);
    for (int c = 0; c < w6.connections(); c++) {
      Set<Integer> streams = new HashSet<>();
      for (int j = 0; j < w6.subscriptionsPerConnection(); j++) {
        streams.add(w6.streamOf(c, j));
      }
      assertThat(streams).hasSize(100);
    }
  }

  @Test
  void tenThousandStreamsGiveEverySubscriptionAStreamOfItsOwn() {
    ScaleShape shape = ScaleShape.W6.withStreams(10_000);
    Set<Integer> streams = new HashSet<>();
    for (int c = 0; c < shape.connections(); c++) {
      for (int j = 0; j < shape.subscriptionsPerConnection(); j++) {
        streams.add(shape.streamOf(c, j));
      }
    }
    assertThat(streams).hasSize(10_000);
    assertThat(shape.publishRate()).isEqualTo(10_000);
  }

  @Test
  void refusesShapesOutsideTheirBounds() {
    assertThatThrownBy(() -> ScaleShape.W6.withConnections(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("connections");
    assertThatThrownBy(() -> ScaleShape.W6.withDuration(0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("durationSeconds");
  }
}
