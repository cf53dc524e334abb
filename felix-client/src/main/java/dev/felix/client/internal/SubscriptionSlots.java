package dev.felix.client.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the server subscriptions a connection holds or has requested, against the server's {@code
 * maxSubscriptions}, so the client refuses locally instead of being refused with {@code
 * LIMIT_EXCEEDED}. Thread-safe.
 */
final class SubscriptionSlots {
  private final AtomicInteger used = new AtomicInteger();

  /** Takes a slot; false when {@code max} are taken. */
  boolean tryAcquire(int max) {
    while (true) {
      int current = used.get();
      if (current >= max) {
        return false;
      }
      if (used.compareAndSet(current, current + 1)) {
        return true;
      }
    }
  }

  void release() {
    used.decrementAndGet();
  }

  int used() {
    return used.get();
  }
}
