package dev.felix.broker.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PublishGateTest {
  private static long inMillis(long millis) {
    return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
  }

  @Test
  void aRefusedPublishIsNotCountedInside() {
    PublishGate gate = new PublishGate();
    assertThat(gate.tryEnter()).isTrue();
    assertThat(gate.tryEnter()).isTrue();
    assertThat(gate.close(inMillis(0))).as("two publishes inside").isFalse();

    for (int i = 0; i < 3; i++) {
      assertThat(gate.tryEnter()).isFalse();
    }
    // Were refusals counted out twice, the count would be 2 - 3 and close would stop waiting for
    // the two publishes still inside; were they never counted out, it would wait for five.
    assertThat(gate.close(inMillis(0))).as("still two inside").isFalse();
    gate.exit();
    gate.exit();
    assertThat(gate.close(inMillis(0))).as("none inside").isTrue();
  }

  @Test
  void closeWaitsForThePublishesInsideAndNoLonger() throws Exception {
    PublishGate gate = new PublishGate();
    assertThat(gate.tryEnter()).isTrue();
    assertThat(gate.tryEnter()).isTrue();

    CompletableFuture<Boolean> closing =
        CompletableFuture.supplyAsync(() -> gate.close(inMillis(30_000)));
    Thread.sleep(50);
    assertThat(closing).as("two publishes still inside").isNotDone();
    assertThat(gate.tryEnter()).as("closed to newcomers meanwhile").isFalse();
    gate.exit();
    Thread.sleep(20);
    assertThat(closing).as("one still inside").isNotDone();
    gate.exit();

    assertThat(closing.get(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void closeGivesUpAtItsDeadline() {
    PublishGate gate = new PublishGate();
    assertThat(gate.tryEnter()).isTrue();

    assertThat(gate.close(inMillis(50))).isFalse();
    assertThat(gate.tryEnter()).as("closed even though close gave up waiting").isFalse();
  }
}
