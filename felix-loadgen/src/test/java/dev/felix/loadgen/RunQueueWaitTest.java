package dev.felix.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.loadgen.RunQueueWait.ThreadFigures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class RunQueueWaitTest {
  @Test
  void moreBusyThreadsThanCoresWaitForACpu() throws Exception {
    RunQueueWait before = RunQueueWait.ofThisProcess();
    assertThat(before.available()).as("Linux schedstat, as on every machine this runs on").isTrue();

    int spinners = Runtime.getRuntime().availableProcessors() + 2;
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch started = new CountDownLatch(spinners);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < spinners; i++) {
      Thread spinner =
          new Thread(
              () -> {
                started.countDown();
                double sink = 0;
                while (!stop.get()) {
                  sink += Math.sqrt(sink + 1);
                }
                assertThat(sink).isPositive();
              });
      spinner.start();
      threads.add(spinner);
    }
    started.await();
    Thread.sleep(500);
    // read while the spinners live: a thread that ended is not counted
    double waited = RunQueueWait.ofThisProcess().secondsAfter(before);
    stop.set(true);
    for (Thread thread : threads) {
      thread.join();
    }

    // two more runnable threads than cores for 0.5 s: together they queue for at least ~1 s
    assertThat(waited).isGreaterThan(0.3);
  }

  @Test
  void anUnknownProcessIsUnavailableAndItsWaitUnknown() {
    RunQueueWait missing = RunQueueWait.of(Long.MAX_VALUE);
    assertThat(missing.available()).isFalse();
    assertThat(missing.secondsAfter(RunQueueWait.ofThisProcess())).isNaN();
  }

  @Test
  void threadsStartedSinceCountWhole() {
    RunQueueWait earlier = new RunQueueWait(1, Map.of("10", new ThreadFigures(5_000_000L, 40)));
    RunQueueWait later =
        new RunQueueWait(
            1,
            Map.of(
                "10", new ThreadFigures(8_000_000L, 45), "11", new ThreadFigures(2_000_000L, 7)));
    assertThat(later.secondsAfter(earlier)).isEqualTo(0.005);
    assertThat(later.timesScheduledAfter(earlier)).isEqualTo(12);
  }

  @Test
  void everyWakeUpOfASleepingThreadIsCounted() throws Exception {
    CountDownLatch slept = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    RunQueueWait before = RunQueueWait.ofThisProcess();
    Thread sleeper =
        new Thread(
            () -> {
              for (int i = 0; i < 200; i++) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
              }
              slept.countDown();
              awaitQuietly(release);
            });
    sleeper.start();
    slept.await();
    // read while the sleeper lives: a thread that ended is not counted
    long times = RunQueueWait.ofThisProcess().timesScheduledAfter(before);
    release.countDown();
    sleeper.join();

    // 200 sleeps, each ended by a wake-up that puts the thread back on a CPU
    assertThat(times).isGreaterThanOrEqualTo(200);
  }

  @Test
  void anUnknownProcessHasNoWakeUps() {
    RunQueueWait missing = RunQueueWait.of(Long.MAX_VALUE);
    assertThat(missing.timesScheduledAfter(RunQueueWait.ofThisProcess())).isEqualTo(-1);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
