package dev.felix.storage.log;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The record bytes all memory logs of a broker may hold together. Each {@link MemoryLog} is bounded
 * on its own ({@link MemoryLogConfig#maxBytes()}), but many of them at their bounds can outgrow the
 * heap (80 streams of 64 MiB ran a 6 GiB heap out of memory, and the event loop thread died with
 * it). So growth is admitted against this budget: an append that would make its log hold more bytes
 * than before is refused while the budget is spent; an append that its log's own eviction pays for
 * (a log at its bound) always passes, so streams at their bounds keep working and only new or
 * growing ones are refused, with a typed error, until memory is given back (records evicted by
 * retention, streams deleted).
 *
 * <p>The check and the accounting are separate steps on different logs' threads, so concurrent
 * appends may overrun the budget by at most one batch each; the bound is on records, and each log
 * holds up to about two chunks more (see {@link MemoryLog}).
 *
 * <p>Thread-safe: one atomic counter.
 */
public final class MemoryBudget {
  /**
   * A budget with no bound, for a log that has no broker around it (tools, benchmarks, tests). A
   * new one each time: one shared instance would be global state every such log counts into, and
   * one atomic all their threads contend on.
   */
  public static MemoryBudget unbounded() {
    return new MemoryBudget(Long.MAX_VALUE);
  }

  private final long maxBytes;
  private final AtomicLong usedBytes = new AtomicLong();
  private final LongAdder refusals = new LongAdder();

  public MemoryBudget(long maxBytes) {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
    }
    this.maxBytes = maxBytes;
  }

  /** True when {@code growthBytes} more fit now; a refusal is counted. */
  boolean admits(long growthBytes) {
    if (usedBytes.get() + growthBytes <= maxBytes) {
      return true;
    }
    refusals.increment();
    return false;
  }

  /** True when {@code bytes} more fit without looking closer (the common case: lots of room). */
  boolean hasRoomFor(long bytes) {
    return usedBytes.get() + bytes <= maxBytes;
  }

  void add(long bytes) {
    usedBytes.addAndGet(bytes);
  }

  void release(long bytes) {
    usedBytes.addAndGet(-bytes);
  }

  /** Record bytes held by all memory logs now. */
  public long usedBytes() {
    return usedBytes.get();
  }

  public long maxBytes() {
    return maxBytes;
  }

  /** Appends refused because the budget was spent. */
  public long refusals() {
    return refusals.sum();
  }
}
