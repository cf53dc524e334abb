package dev.felix.storage.cache;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one cache store; readable from any thread. Gauges (bytes, entries) are read from the
 * store itself, see {@link CacheStore#weightedBytes()} and {@link CacheStore#entries()}.
 */
public final class CacheStoreMetrics {
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder puts = new LongAdder();
  private final LongAdder deletes = new LongAdder();
  private final LongAdder casConflicts = new LongAdder();
  private final LongAdder evictions = new LongAdder();
  private final LongAdder expirations = new LongAdder();
  private final LongAdder rejected = new LongAdder();

  /** Reads that found a live entry. */
  public long hits() {
    return hits.sum();
  }

  /** Reads that found nothing, or only an expired entry. */
  public long misses() {
    return misses.sum();
  }

  /** Entries written: puts, successful compare-and-sets, each entry of a multi-put. */
  public long puts() {
    return puts.sum();
  }

  /** Deletes that removed a live entry. */
  public long deletes() {
    return deletes.sum();
  }

  /** Compare-and-sets refused because the version did not match. */
  public long casConflicts() {
    return casConflicts.sum();
  }

  /** Entries evicted to stay within the byte bound. */
  public long evictions() {
    return evictions.sum();
  }

  /** Expired entries collected. */
  public long expirations() {
    return expirations.sum();
  }

  /** Writes refused by a limit (value too large, entry larger than the cache). */
  public long rejected() {
    return rejected.sum();
  }

  void hit() {
    hits.increment();
  }

  void miss() {
    misses.increment();
  }

  void put() {
    puts.increment();
  }

  void delete() {
    deletes.increment();
  }

  void casConflict() {
    casConflicts.increment();
  }

  void evicted() {
    evictions.increment();
  }

  void expired() {
    expirations.increment();
  }

  void reject() {
    rejected.increment();
  }
}
