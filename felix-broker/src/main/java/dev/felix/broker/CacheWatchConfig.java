package dev.felix.broker;

/**
 * Bounds of cache watches.
 *
 * @param maxWatches watches the broker serves at once ({@code LIMIT_EXCEEDED} past it)
 * @param maxWatchesPerConnection watches one connection may hold ({@code LIMIT_EXCEEDED} past it)
 * @param bufferChanges changes one watch may hold on the broker while its client is not keeping up
 *     (its stream's send queue above the mark, or its snapshot still being sent); past it the watch
 *     ends with {@code SLOW_CONSUMER}
 */
public record CacheWatchConfig(int maxWatches, int maxWatchesPerConnection, int bufferChanges) {
  public static final CacheWatchConfig DEFAULTS = new CacheWatchConfig(1024, 16, 10_000);

  public CacheWatchConfig {
    if (maxWatches < 1 || maxWatchesPerConnection < 1 || bufferChanges < 1) {
      throw new IllegalArgumentException("cache watch limits must be >= 1");
    }
  }
}
