package dev.felix.loadgen.cache;

/**
 * A cache load shape.
 *
 * @param keys keys preloaded, then read and written uniformly at random
 * @param valueBytes size of every value
 * @param threads client threads, each with one call outstanding (closed loop)
 * @param getPercent share of gets, the rest are puts
 * @param warmupSeconds load before measuring (JIT, connection set-up)
 * @param durationSeconds measured time
 */
public record CacheWorkload(
    String name,
    int keys,
    int valueBytes,
    int threads,
    int getPercent,
    int warmupSeconds,
    int durationSeconds) {
  /** W4: 1 KiB values, 100,000 keys, 8 threads, 90% get / 10% put, 10 s. */
  public static final CacheWorkload W4 = new CacheWorkload("W4", 100_000, 1024, 8, 90, 3, 10);

  public CacheWorkload {
    if (keys < 1 || valueBytes < 0 || threads < 1 || threads > 1024) {
      throw new IllegalArgumentException("cache workload needs keys, values and 1-1024 threads");
    }
    if (getPercent < 0 || getPercent > 100 || durationSeconds < 1 || warmupSeconds < 0) {
      throw new IllegalArgumentException("getPercent 0-100, duration >= 1 s, warm-up >= 0 s");
    }
  }

  public CacheWorkload withDuration(int seconds) {
    return new CacheWorkload(name, keys, valueBytes, threads, getPercent, warmupSeconds, seconds);
  }

  public CacheWorkload withWarmup(int seconds) {
    return new CacheWorkload(name, keys, valueBytes, threads, getPercent, seconds, durationSeconds);
  }

  /** The same mix over {@code value} keys (all preloaded). */
  public CacheWorkload withKeys(int value) {
    return new CacheWorkload(
        name, value, valueBytes, threads, getPercent, warmupSeconds, durationSeconds);
  }

  public CacheWorkload withThreads(int value) {
    return new CacheWorkload(
        name, keys, valueBytes, value, getPercent, warmupSeconds, durationSeconds);
  }

  /** Bytes the preloaded entries take at least (keys and values), to size the cache. */
  public long dataBytes() {
    return (long) keys * (valueBytes + 16);
  }
}
