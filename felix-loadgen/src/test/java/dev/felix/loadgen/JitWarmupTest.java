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
