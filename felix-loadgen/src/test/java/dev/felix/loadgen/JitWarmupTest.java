package dev.felix.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class JitWarmupTest {
  private final AtomicLong compileMillis = new AtomicLong(5_000);
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final JitWarmup warmup = new JitWarmup(compileMillis::get, nanos::get);

  @Test
  void aSliceWithTheCompilerBusyIsNotSettledAQuietOneIs() {
    // 2 s slice, 1.8 s of compile time (C2 still at work on two threads): busy.
    nanos.addAndGet(2_000_000_000L);
    compileMillis.addAndGet(1_800);
    assertThat(warmup.compiledFraction()).isCloseTo(0.9, within(1e-9));
    assertThat(warmup.settled()).isFalse();

    // The next slice compiles 130 ms in 2 s: settled.
    warmup.mark();
    nanos.addAndGet(2_000_000_000L);
    compileMillis.addAndGet(130);
    assertThat(warmup.compiledFraction()).isCloseTo(0.065, within(1e-9));
    assertThat(warmup.settled()).isTrue();
  }

  @Test
  void theBoundIsTenPercentOfTheSlice() {
    nanos.addAndGet(2_000_000_000L);
    compileMillis.addAndGet(200);
    assertThat(warmup.settled()).isFalse();
    compileMillis.decrementAndGet();
    assertThat(warmup.settled()).isTrue();
  }

  @Test
  void aQuietFixedPartNeedsNoMoreSlices() {
    nanos.addAndGet(3_000_000_000L); // the fixed part: 3 s with 100 ms of compiling
    compileMillis.addAndGet(100);
    int[] slices = {0};

    double last = warmup.continueWhileBusy(() -> slices[0]++);

    assertThat(slices[0]).isZero();
    assertThat(last).isCloseTo(0.1 / 3, within(1e-9));
  }

  @Test
  void slicesGoOnWhileTheCompilerIsBusyAndStopAtTheFirstQuietOne() {
    nanos.addAndGet(3_000_000_000L);
    compileMillis.addAndGet(2_000); // busy fixed part
    long[] compilePerSlice = {1_500, 900, 100, 0}; // per 2 s slice: busy, busy, quiet
    int[] slices = {0};

    double last =
        warmup.continueWhileBusy(
            () -> {
              nanos.addAndGet(2_000_000_000L);
              compileMillis.addAndGet(compilePerSlice[slices[0]++]);
            });

    assertThat(slices[0]).isEqualTo(3);
    assertThat(last).isCloseTo(0.05, within(1e-9));
  }

  @Test
  void aCompilerThatNeverSettlesIsWaitedForAtMostTheCap() {
    nanos.addAndGet(3_000_000_000L);
    compileMillis.addAndGet(3_000);
    int[] slices = {0};

    warmup.continueWhileBusy(
        () -> {
          slices[0]++;
          nanos.addAndGet(2_000_000_000L);
          compileMillis.addAndGet(2_000);
        });

    assertThat(slices[0]).isEqualTo(JitWarmup.MAX_EXTRA_SECONDS / 2);
  }

  @Test
  void theDoneLineSaysHowLongAndHowBusy() {
    assertThat(JitWarmup.doneLine(9.4, 0.023))
        .isEqualTo("warm-up of 9 s done (the JIT compiled 2% of the last slice)");
  }

  @Test
  void aJvmWithoutCompileTimeCountsAsSettled() {
    JitWarmup unknown = new JitWarmup(() -> -1, nanos::get);
    nanos.addAndGet(1_000_000_000L);
    assertThat(unknown.compiledFraction()).isZero();
    assertThat(unknown.settled()).isTrue();
  }

  @Test
  void thisJvmReportsItsCompilerTimeSoTheWarmUpIsNotSilentlyAlwaysSettled() {
    // Without compile-time monitoring ofThisJvm() falls back to "always settled", and every
    // warm-up would end after its first slice whatever the JIT does.
    assertThat(
            java.lang.management.ManagementFactory.getCompilationMXBean()
                .isCompilationTimeMonitoringSupported())
        .isTrue();
    assertThat(JitWarmup.ofThisJvm().compiledFraction()).isNotNegative();
  }
}
