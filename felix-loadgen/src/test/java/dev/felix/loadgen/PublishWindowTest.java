package dev.felix.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.felix.client.PublishReceipt;
import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Every publish's outcome is counted once, in order, within the ring's bound. */
class PublishWindowTest {
  private static CompletableFuture<PublishReceipt> ok() {
    return CompletableFuture.completedFuture(null);
  }

  private static CompletableFuture<PublishReceipt> refused(String why) {
    return CompletableFuture.failedFuture(new FelixException(ErrorCode.LIMIT_EXCEEDED, why));
  }

  @Test
  void countsEveryFailureAndNamesTheFirst() throws Exception {
    PublishWindow.Failures failures = new PublishWindow.Failures();
    PublishWindow window = new PublishWindow(4, failures);
    window.add(ok());
    window.add(refused("budget spent"));
    window.add(ok());
    window.settleFirst(2);
    assertThat(failures.count()).isEqualTo(1);
    window.add(refused("still spent"));
    window.add(refused("still spent"));
    window.settleAll();

    assertThat(failures.count()).isEqualTo(3);
    assertThat(failures.first()).isEqualTo("LIMIT_EXCEEDED: budget spent");
  }

  @Test
  void settlingWaitsForAPublishStillInFlight() throws Exception {
    PublishWindow.Failures failures = new PublishWindow.Failures();
    PublishWindow window = new PublishWindow(2, failures);
    CompletableFuture<PublishReceipt> inFlight = new CompletableFuture<>();
    window.add(inFlight);
    Thread settler =
        new Thread(
            () -> {
              try {
                window.settleAll();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    settler.start();
    settler.join(200);
    assertThat(settler.isAlive()).as("waits for the unanswered publish").isTrue();

    inFlight.completeExceptionally(new IllegalStateException("timed out"));
    settler.join(10_000);
    assertThat(settler.isAlive()).isFalse();
    assertThat(failures.count()).isEqualTo(1);
    assertThat(failures.first()).isEqualTo("java.lang.IllegalStateException: timed out");
  }

  @Test
  void refusesMorePublishesThanTheRingHoldsUnsettled() {
    PublishWindow window = new PublishWindow(2, new PublishWindow.Failures());
    window.add(ok());
    window.add(ok());
    assertThatThrownBy(() -> window.add(ok())).isInstanceOf(IllegalStateException.class);
  }
}
