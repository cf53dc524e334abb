package dev.felix.client.internal;

import java.util.concurrent.TimeUnit;

/**
 * Bytes of records waiting in the local publish queue, bounded by {@code maxQueuedBytes}. A record
 * is admitted into an empty queue even when larger, so that progress never stops.
 *
 * <p>Thread-safe (its monitor); synchronous publishers wait on it for room.
 */
final class QueueBound {
  private final long maxBytes;
  private long usedBytes;

  QueueBound(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Takes room for {@code bytes} if there is some now. */
  synchronized boolean tryReserve(long bytes) {
    if (usedBytes > 0 && usedBytes + bytes > maxBytes) {
      return false;
    }
    usedBytes += bytes;
    return true;
  }

  /** Waits until there is room or {@code deadlineNanos} passes. */
  synchronized boolean reserve(long bytes, long deadlineNanos) throws InterruptedException {
    while (usedBytes > 0 && usedBytes + bytes > maxBytes) {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    usedBytes += bytes;
    return true;
  }

  synchronized void release(long bytes) {
    usedBytes -= bytes;
    notifyAll();
  }

  synchronized long usedBytes() {
    return usedBytes;
  }

  long maxBytes() {
    return maxBytes;
  }
}
