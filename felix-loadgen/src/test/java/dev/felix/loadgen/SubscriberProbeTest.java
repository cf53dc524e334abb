package dev.felix.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class SubscriberProbeTest {
  private final SubscriberProbe probe = new SubscriberProbe();

  private void deliver(int publisher, long n) {
    probe.onPayload(
        ByteBuffer.wrap(Pacing.payload(16, System.nanoTime(), Pacing.sequenceOf(publisher, n))));
  }

  @Test
  void aGapIsLossNotReordering() {
    deliver(0, 0);
    deliver(0, 1);
    deliver(0, 4); // 2 and 3 were refused or lost
    deliver(0, 5);

    assertThat(probe.received()).isEqualTo(4);
    assertThat(probe.outOfOrder()).isZero();
  }

  @Test
  void aRecordAfterALaterOneAndARepeatAreOutOfOrder() {
    deliver(0, 0);
    deliver(0, 2);
    deliver(0, 1); // after 2
    deliver(0, 2); // twice
    deliver(0, 3);

    assertThat(probe.outOfOrder()).isEqualTo(2);
  }

  @Test
  void orderIsPerPublisher() {
    deliver(0, 0);
    deliver(1, 0);
    deliver(0, 1);
    deliver(1, 1);

    assertThat(probe.outOfOrder()).isZero();
  }
}
