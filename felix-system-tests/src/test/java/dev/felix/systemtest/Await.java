package dev.felix.systemtest;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits on conditions, never on time: a condition is checked at once and then re-checked with a
 * short back-off (50 us growing to 20 ms) until it holds or the timeout passes. Timeouts are
 * generous because the test machine is shared and overloaded; the normal case returns as soon as
 * the condition holds.
 */
final class Await {
  /** The default bound for "should happen soon" conditions on an overloaded machine. */
  static final Duration DEFAULT = Duration.ofSeconds(30);

  private Await() {}

  /** Waits until {@code condition} holds; fails with {@code what} after {@code timeout}. */
  static void until(String what, BooleanSupplier condition, Duration timeout) {
    until(() -> what, condition, timeout);
  }

  /** As {@link #until(String, BooleanSupplier, Duration)} with {@link #DEFAULT}. */
  static void until(String what, BooleanSupplier condition) {
    until(what, condition, DEFAULT);
  }

  /**
   * Waits until {@code condition} holds; the failure message is computed only on timeout, so it can
   * describe the state that was reached.
   */
  static void until(Supplier<String> what, BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pauseNanos = TimeUnit.MICROSECONDS.toNanos(50);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "timed out after " + timeout.toMillis() + " ms waiting for: " + what.get());
      }
      LockSupport.parkNanos(pauseNanos);
      pauseNanos = Math.min(pauseNanos * 2, TimeUnit.MILLISECONDS.toNanos(20));
    }
  }
}
