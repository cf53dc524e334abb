package dev.felix.client.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes of publish frames sent with ack LEADER and not yet answered, bounded per connection by
 * {@link Limits#maxInflightBytes()} (the server answers more with {@code BACKPRESSURE}). A frame is
 * admitted into an empty window even when it is larger than the bound, so that progress never
 * stops. Flow control is a return value here, never an exception (STYLE.md, after Aeron).
 *
 * <p>Thread-safe, lock-free.
 */
final class InflightWindow {
  private final long maxBytes;
  private final AtomicLong usedBytes = new AtomicLong();

  InflightWindow(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Takes {@code bytes} from the window; false (nothing taken) when they do not fit now. */
  boolean tryAcquire(long bytes) {
    while (true) {
      long used = usedBytes.get();
      if (used > 0 && used + bytes > maxBytes) {
        return false;
      }
      if (usedBytes.compareAndSet(used, used + bytes)) {
        return true;
      }
    }
  }

  void release(long bytes) {
    usedBytes.addAndGet(-bytes);
  }

  long usedBytes() {
    return usedBytes.get();
  }

  long maxBytes() {
    return maxBytes;
  }
}
