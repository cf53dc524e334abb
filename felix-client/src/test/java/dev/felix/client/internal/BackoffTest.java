package dev.felix.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.client.ReconnectPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final ReconnectPolicy POLICY =
      ReconnectPolicy.DEFAULT
          .withInitialBackoff(Duration.ofMillis(100))
          .withMaxBackoff(Duration.ofSeconds(2))
          .withJitter(0.2);

  private static long millis(long nanos) {
    return Duration.ofNanos(nanos).toMillis();
  }

  @Test
  void doublesFromTheInitialDelayUpToTheCap() {
    Backoff middle = new Backoff(POLICY, () -> 0.5);
    assertThat(millis(middle.delayNanos(1))).isEqualTo(100);
    assertThat(millis(middle.delayNanos(2))).isEqualTo(200);
    assertThat(millis(middle.delayNanos(4))).isEqualTo(800);
    assertThat(millis(middle.delayNanos(6))).isEqualTo(2000);
    assertThat(millis(middle.delayNanos(1000))).isEqualTo(2000);
  }

  @Test
  void jitterSpreadsEachDelayWithinItsBoundsAndNeverAboveTheCap() {
    assertThat(millis(new Backoff(POLICY, () -> 0.0).delayNanos(1))).isEqualTo(80);
    assertThat(millis(new Backoff(POLICY, () -> 0.999_999).delayNanos(1))).isEqualTo(119);
    assertThat(millis(new Backoff(POLICY, () -> 0.999_999).delayNanos(10))).isEqualTo(2000);
  }

  @Test
  void zeroJitterIsExact() {
    Backoff exact = new Backoff(POLICY.withJitter(0), () -> 0.9);
    assertThat(millis(exact.delayNanos(3))).isEqualTo(400);
  }
}
