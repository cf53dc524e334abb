package dev.felix.broker.core;

import dev.felix.error.ErrorCode;
import dev.felix.error.UnavailableException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The door every publish passes on its way to a log, so that shutdown can close it and know when
 * the last publish already inside has been appended. Only then can a final flush deliver every
 * record the broker will ever acknowledge: without the gate, a publish appended just after that
 * flush was acknowledged but never delivered to the subscribers still connected.
 *
 * <p>A publish {@link #tryEnter}s before it is routed and {@link #exit}s once its records are in
 * the log or it failed (a durable publish exits on its storage lane, after the append). Entering
 * increments the count before it reads the closed flag and {@link #close} sets the flag before it
 * reads the count (both sequentially consistent), so either the publish sees the gate closed or
 * close sees the publish inside and waits for it.
 *
 * <p>Threading: any thread. One atomic increment and decrement per publish request (not per
 * record).
 */
final class PublishGate {
  private final AtomicInteger inside = new AtomicInteger();
  private volatile boolean closed;

  /**
   * Lets a publish in, unless the gate is closed.
   *
   * @return true when the publish may go on and must {@link #exit} later; false when the broker is
   *     shutting down (nothing to undo: a refused publish is not inside)
   */
  boolean tryEnter() {
    inside.incrementAndGet();
    if (closed) {
      inside.decrementAndGet();
      return false;
    }
    return true;
  }

  /** The typed refusal of a publish the closed gate did not let in. */
  static UnavailableException shuttingDown() {
    return new UnavailableException(
        ErrorCode.UNAVAILABLE, "the broker is shutting down; publish after reconnecting");
  }

  /** A publish that entered is in the log, or failed. */
  void exit() {
    inside.decrementAndGet();
  }

  /**
   * Refuses publishes from now on and waits until those already inside are appended.
   *
   * @return true when none is left inside; false when {@code deadlineNanos} (on {@link
   *     System#nanoTime()}) came first
   */
  boolean close(long deadlineNanos) {
    closed = true;
    // A publish inside finishes in microseconds (a durable one behind what its lane has queued).
    return ShutdownWait.until(() -> inside.get() <= 0, deadlineNanos);
  }
}
