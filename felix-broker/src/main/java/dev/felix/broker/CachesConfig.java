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
 */
public record CachesConfig(
    boolean autoCreate, int maxCaches, long totalMaxBytes, CacheStoreConfig defaults) {
  public static final int DEFAULT_MAX_CACHES = 256;

  /** 256 MiB: sixteen default-sized caches. */
  public static final long DEFAULT_TOTAL_MAX_BYTES = 256L * 1024 * 1024;

  public static final CachesConfig DEFAULTS =
      new CachesConfig(
          true, DEFAULT_MAX_CACHES, DEFAULT_TOTAL_MAX_BYTES, CacheStoreConfig.defaults());

  public CachesConfig {
    Objects.requireNonNull(defaults, "defaults");
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
