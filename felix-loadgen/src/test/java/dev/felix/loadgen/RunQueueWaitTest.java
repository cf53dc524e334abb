package dev.felix.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
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
    double waited = before.secondsSince();
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
    RunQueueWait earlier = new RunQueueWait(1, Map.of("10", 5_000_000L));
    RunQueueWait later = new RunQueueWait(1, Map.of("10", 8_000_000L, "11", 2_000_000L));
    assertThat(later.secondsAfter(earlier)).isEqualTo(0.005);
  }
}
