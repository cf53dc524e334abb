package dev.felix.storage.time;

import java.time.Duration;

/**
 * A {@link Clock} that moves only when told to, for tests (and for tools that replay time). Both
 * readings advance together, so a delay measured with {@link #nanoTime()} and a timestamp taken
 * from {@link #epochMillis()} agree.
 *
 * <p>Thread-safe: the time is one volatile field written under this object's monitor, so readers on
 * other threads see every advance without locking.
 */
public final class ManualClock implements Clock {
  private volatile long nanos;
  private final long epochMillisAtZero;

  /** Starts at {@code epochMillis} (and nano time 0). */
  public ManualClock(long epochMillis) {
    if (epochMillis < 0) {
      throw new IllegalArgumentException("epochMillis must be >= 0: " + epochMillis);
    }
    this.epochMillisAtZero = epochMillis;
  }

  /**
   * Starts at 2024-01-01T00:00:00Z: non-zero, because a zero timestamp means "unset" on the wire.
   */
  public ManualClock() {
    this(1_704_067_200_000L);
  }

  @Override
  public long epochMillis() {
    return epochMillisAtZero + nanos / 1_000_000L;
  }

  @Override
  public long nanoTime() {
    return nanos;
  }

  /** Moves time forward by {@code delta} (never backwards). */
  public synchronized void advance(Duration delta) {
    advanceNanos(delta.toNanos());
  }

  /** Moves time forward by {@code millis} milliseconds. */
  public void advanceMillis(long millis) {
    advanceNanos(Math.multiplyExact(millis, 1_000_000L));
  }

  /** Moves time forward by {@code delta} nanoseconds. */
  public synchronized void advanceNanos(long delta) {
    if (delta < 0) {
      throw new IllegalArgumentException("a manual clock never goes backwards: " + delta);
    }
    nanos = Math.addExact(nanos, delta);
  }
}
