package dev.felix.broker;

import dev.felix.storage.cache.CacheStoreConfig;
import java.util.Objects;

/**
 * Settings of the broker's named caches.
 *
 * @param autoCreate create a cache on its first write (reads of an unknown cache answer MISS); off:
 *     calls on an unknown cache fail with {@code NOT_FOUND}
 * @param maxCaches most caches the broker holds ({@code LIMIT_EXCEEDED} past it)
 * @param totalMaxBytes the broker-wide memory budget: the byte bounds of all caches together may
 *     not exceed it, so creating a cache whose bound does not fit fails with {@code LIMIT_EXCEEDED}
 * @param defaults settings of auto-created caches
 * @param storage storage of auto-created caches (durable ones need the broker's data directory)
 */
public record CachesConfig(
    boolean autoCreate,
    int maxCaches,
    long totalMaxBytes,
    CacheStoreConfig defaults,
    CacheStorage storage) {
  public static final int DEFAULT_MAX_CACHES = 256;

  /** 256 MiB: sixteen default-sized caches. */
  public static final long DEFAULT_TOTAL_MAX_BYTES = 256L * 1024 * 1024;

  public static final CachesConfig DEFAULTS =
      new CachesConfig(
          true,
          DEFAULT_MAX_CACHES,
          DEFAULT_TOTAL_MAX_BYTES,
          CacheStoreConfig.defaults(),
          CacheStorage.MEMORY);

  /** Auto-created caches in memory. */
  public CachesConfig(
      boolean autoCreate, int maxCaches, long totalMaxBytes, CacheStoreConfig defaults) {
    this(autoCreate, maxCaches, totalMaxBytes, defaults, CacheStorage.MEMORY);
  }

  public CachesConfig {
    Objects.requireNonNull(defaults, "defaults");
    Objects.requireNonNull(storage, "storage");
    if (maxCaches < 1) {
      throw new IllegalArgumentException("caches maxCaches must be >= 1, was " + maxCaches);
    }
    if (totalMaxBytes < defaults.maxBytes()) {
      throw new IllegalArgumentException(
          "caches totalMaxBytes ("
              + totalMaxBytes
              + ") must hold at least one default cache ("
              + defaults.maxBytes()
              + ")");
    }
  }
}
