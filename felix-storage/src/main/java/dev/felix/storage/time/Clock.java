package dev.felix.storage.time;

/**
 * The time source of storage and broker code. It is injected everywhere time matters (record
 * timestamps, batching delays, retention) so that tests run on a {@link ManualClock} and never
 * sleep.
 *
 * <p>Implementations are thread-safe: any thread may read the time.
 */
public interface Clock {
  /** Wall-clock time in epoch milliseconds: record timestamps. */
  long epochMillis();

  /** Monotonic time in nanoseconds for measuring delays; only differences are meaningful. */
  long nanoTime();

  /** The system clock ({@link System#currentTimeMillis()}, {@link System#nanoTime()}). */
  static Clock system() {
    return SystemClock.INSTANCE;
  }
}
