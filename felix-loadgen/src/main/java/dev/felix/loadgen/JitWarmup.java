package dev.felix.loadgen;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Tells a warm-up when this JVM's JIT compiler has settled, so that the first measured run does not
 * share the machine with it.
 *
 * <p>Why: on the 2-core machines the benchmarks run on, a fixed 3 s warm-up of W3 ended while C2
 * was still compiling: the JIT spent about 5 s of compile time during the first 10 s run (25% of
 * the machine), and that run's p99 and p99.9 were 1.7-2.8x the next runs' (docs/benchmarks.md). A
 * warm-up slice counts as settled when the compiler's time in it (summed over compiler threads) is
 * below {@link #SETTLED_FRACTION} of the slice's wall-clock time.
 *
 * <p>Not thread-safe: one warm-up loop uses it.
 */
public final class JitWarmup {
  /** Compile time per wall-clock time below which a slice counts as settled: 10% of one core. */
  public static final double SETTLED_FRACTION = 0.10;

  /** A fixed-rate warm-up's slices after its fixed part, while the JIT is still busy. */
  public static final int SLICE_SECONDS = 2;

  /** At most this much warm-up beyond the fixed part, however busy the JIT stays. */
  public static final int MAX_EXTRA_SECONDS = 20;

  /** One more unmeasured slice of a warm-up's load. */
  @FunctionalInterface
  public interface Slice<E extends Exception> {
    void run() throws E;
  }

  private final LongSupplier compileMillis;
  private final LongSupplier nanoTime;
  private long compileMillisAtMark;
  private long nanosAtMark;

  /**
   * @param compileMillis the compiler's accumulated time so far, in ms; negative when unknown
   * @param nanoTime a monotonic clock in ns
   */
  JitWarmup(LongSupplier compileMillis, LongSupplier nanoTime) {
    this.compileMillis = compileMillis;
    this.nanoTime = nanoTime;
    mark();
  }

  /** For this JVM; always settled where the JVM does not report compile time. */
  public static JitWarmup ofThisJvm() {
    CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
    if (compiler == null || !compiler.isCompilationTimeMonitoringSupported()) {
      return new JitWarmup(() -> -1, System::nanoTime);
    }
    return new JitWarmup(compiler::getTotalCompilationTime, System::nanoTime);
  }

  /** Starts a slice: {@link #compiledFraction()} counts from here. */
  public void mark() {
    compileMillisAtMark = compileMillis.getAsLong();
    nanosAtMark = nanoTime.getAsLong();
  }

  /** Compile time since the last {@link #mark()} per wall-clock time; 0 when unknown. */
  public double compiledFraction() {
    long now = compileMillis.getAsLong();
    double elapsedMillis = (nanoTime.getAsLong() - nanosAtMark) / 1e6;
    if (now < 0 || compileMillisAtMark < 0 || elapsedMillis <= 0) {
      return 0;
    }
    return (now - compileMillisAtMark) / elapsedMillis;
  }

  /** True when the compiler was mostly idle since the last {@link #mark()}. */
  public boolean settled() {
    return compiledFraction() < SETTLED_FRACTION;
  }

  /**
   * The rule every warm-up follows once its fixed part (counted from this object's creation or the
   * last {@link #mark()}) has run: while the compiler was busy in the last part, one more {@code
   * slice}, for at most {@link #MAX_EXTRA_SECONDS}; none when the fixed part was already quiet.
   *
   * @return the compiled fraction of the last part, for {@link #doneLine}
   */
  public <E extends Exception> double continueWhileBusy(Slice<E> slice) throws E {
    long deadline = nanoTime.getAsLong() + MAX_EXTRA_SECONDS * 1_000_000_000L;
    double last = compiledFraction();
    while (last >= SETTLED_FRACTION && nanoTime.getAsLong() < deadline) {
      mark();
      slice.run();
      last = compiledFraction();
    }
    return last;
  }

  /** {@code warm-up of 9 s done (the JIT compiled 2% of the last slice)}: how benches report it. */
  public static String doneLine(double seconds, double lastFraction) {
    return String.format(
        Locale.ROOT,
        "warm-up of %.0f s done (the JIT compiled %.0f%% of the last slice)",
        seconds,
        lastFraction * 100);
  }
}
