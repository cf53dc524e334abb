package dev.felix.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AckLatencyTest {
  @Test
  void summarisesSamplesInMicroseconds() {
    AckLatency.Recorder recorder = new AckLatency.Recorder();
    for (int i = 1; i <= 100; i++) {
      recorder.record(1_000_000L, 1_000_000L + i * 10_000L); // 10 us .. 1,000 us
    }

    AckLatency acks = recorder.summary();

    assertThat(acks.samples()).isEqualTo(100);
    assertThat(acks.p50Micros()).isCloseTo(500, within(5.0));
    assertThat(acks.p99Micros()).isCloseTo(990, within(10.0));
    assertThat(acks.line()).startsWith("acks us      p50 500").contains("every 16th publish");
    assertThat(acks.jsonFields()).startsWith("\"ackP50Micros\":5");
  }

  @Test
  void withoutSamplesThereIsNothingToPrintAndTheJsonSaysNull() {
    AckLatency none = new AckLatency.Recorder().summary();

    assertThat(none).isEqualTo(AckLatency.NONE);
    assertThat(none.line()).isEmpty();
    assertThat(none.jsonFields()).isEqualTo("\"ackP50Micros\":null,\"ackP99Micros\":null");
  }

  @Test
  void aClockThatWentBackwardsCountsAsZeroNotAsAnError() {
    AckLatency.Recorder recorder = new AckLatency.Recorder();
    recorder.record(2_000, 1_000);
    assertThat(recorder.summary().p50Micros()).isZero();
  }
}
