package dev.felix.broker.core;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waiting during a shutdown for a condition that the hot path makes true (publishes leaving the
 * gate, send queues emptying). It polls instead of being woken: a wake-up would cost the hot path a
 * check on every publish and delivery for something that happens once per process.
 */
public final class ShutdownWait {
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private ShutdownWait() {}

  /**
   * Waits until {@code done} holds or {@code deadlineNanos} (on {@link System#nanoTime()}) passes.
   *
   * @return true when {@code done} held before the deadline
   */
  public static boolean until(BooleanSupplier done, long deadlineNanos) {
    while (!done.getAsBoolean()) {
      if (System.nanoTime() - deadlineNanos >= 0) {
        return false;
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
    return true;
  }
}
