package dev.felix.storage.cache;

/**
 * Settings of one cache.
 *
 * @param maxBytes the most bytes its entries may weigh together ({@link EntryWeight}); the least
 *     valuable entries are evicted past it
 * @param defaultTtlMs TTL of a put that asks for none (ttl 0); 0 = such entries never expire
 * @param maxTtlMs cap on any requested TTL; 0 = no cap. With a cap, every entry expires, so the
 *     default TTL must be set and within the cap
 * @param maxValueBytes largest value accepted ({@code MESSAGE_TOO_LARGE} above)
 */
public record CacheStoreConfig(long maxBytes, long defaultTtlMs, long maxTtlMs, int maxValueBytes) {
  /** 16 MiB per cache: sixteen fit the broker's default budget. */
  public static final long DEFAULT_MAX_BYTES = 16L * 1024 * 1024;

  /** 1 MiB per value, the record size limit of streams. */
  public static final int DEFAULT_MAX_VALUE_BYTES = 1024 * 1024;

  /**
   * Longest TTL anyone may ask for (about 100 years): keeps deadline arithmetic far from overflow,
   * and is longer than any broker process lives.
   */
  public static final long ABSOLUTE_MAX_TTL_MS = 100L * 365 * 24 * 3600 * 1000;

  public CacheStoreConfig {
    if (maxBytes < EntryWeight.of(1, 0)) {
      throw new IllegalArgumentException(
          "cache maxBytes must hold at least one entry (>= " + EntryWeight.of(1, 0) + ")");
    }
    if (defaultTtlMs < 0 || defaultTtlMs > ABSOLUTE_MAX_TTL_MS) {
      throw new IllegalArgumentException(
          "cache defaultTtlMs must be 0 (never expire) or 1.." + ABSOLUTE_MAX_TTL_MS);
    }
    if (maxTtlMs < 0 || maxTtlMs > ABSOLUTE_MAX_TTL_MS) {
      throw new IllegalArgumentException(
          "cache maxTtlMs must be 0 (no cap) or 1.." + ABSOLUTE_MAX_TTL_MS);
    }
    if (maxTtlMs > 0 && (defaultTtlMs == 0 || defaultTtlMs > maxTtlMs)) {
      throw new IllegalArgumentException(
          "cache defaultTtlMs must be set and <= maxTtlMs (" + maxTtlMs + ") when maxTtlMs is set");
    }
    if (maxValueBytes < 0) {
      throw new IllegalArgumentException("cache maxValueBytes must be >= 0");
    }
  }

  /** 16 MiB, entries never expire unless a put asks, no TTL cap, 1 MiB values. */
  public static CacheStoreConfig defaults() {
    return new CacheStoreConfig(DEFAULT_MAX_BYTES, 0, 0, DEFAULT_MAX_VALUE_BYTES);
  }

  /**
   * The TTL an entry gets when a put asks for {@code requestedMs}: the default for 0, else the
   * request capped by {@link #maxTtlMs} (and {@link #ABSOLUTE_MAX_TTL_MS}). 0 means no expiry.
   */
  public long effectiveTtlMs(long requestedMs) {
    if (requestedMs < 0) {
      throw new IllegalArgumentException("ttl must be >= 0: " + requestedMs);
    }
    long ttl = requestedMs == 0 ? defaultTtlMs : requestedMs;
    long cap = maxTtlMs == 0 ? ABSOLUTE_MAX_TTL_MS : maxTtlMs;
    return Math.min(ttl, cap);
  }
}
