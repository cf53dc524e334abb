package dev.felix.broker.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ExecutorSchedulerTest {
  private static final Duration WITHIN = Duration.ofMillis(200);

  @Test
  void aSchedulerWithAFreeThreadIsResponsive() {
    try (ExecutorScheduler scheduler = new ExecutorScheduler(1)) {
      assertThat(scheduler.responsive(WITHIN)).isTrue();
    }
  }

  @Test
  void aSchedulerWhoseEveryThreadIsBlockedIsNotAndRecovers() throws Exception {
    try (ExecutorScheduler scheduler = new ExecutorScheduler(2)) {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch blocked = new CountDownLatch(2);
      for (int i = 0; i < 2; i++) {
        scheduler.execute(
            () -> {
              blocked.countDown();
              awaitQuietly(release);
            });
      }
      blocked.await();
      assertThat(scheduler.responsive(WITHIN)).isFalse();

      release.countDown();
      assertThat(scheduler.responsive(Duration.ofSeconds(10))).isTrue();
      assertThat(scheduler.queuedTasks()).as("the late ping was cancelled, not left").isZero();
    }
  }

  @Test
  void aBusySchedulerThatCompletesTasksIsResponsiveThoughThePingWaits() throws Exception {
    try (ExecutorScheduler scheduler = new ExecutorScheduler(1)) {
      // 1.5 s of queued work ahead of the ping: it cannot run within the bound, but tasks finish
      for (int i = 0; i < 75; i++) {
        scheduler.execute(ExecutorSchedulerTest::sleep20Ms);
      }
      assertThat(scheduler.responsive(WITHIN)).isTrue();
    }
  }

  @Test
  void aClosedSchedulerIsNotResponsive() {
    ExecutorScheduler scheduler = new ExecutorScheduler(1);
    scheduler.close();
    assertThat(scheduler.responsive(WITHIN)).isFalse();
  }

  private static void sleep20Ms() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
