package dev.felix.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * One entry of a cache watch: a snapshot entry, or a change of a watched key.
 *
 * @param kind what happened
 * @param key the cache key
 * @param version the entry's version; for removals the version of the entry removed
 * @param ttlRemaining time left before the entry expires (empty: never, and for removals)
 * @param value the value (empty for removals)
 */
public record CacheWatchEvent(
    Kind kind, byte[] key, long version, Optional<Duration> ttlRemaining, byte[] value) {
  /** What happened to the key. */
  public enum Kind {
    /** A live entry when the watch started. */
    SNAPSHOT,
    /** Written (put, compare-and-set, multi-put). */
    PUT,
    /** Removed by a delete. */
    DELETE,
    /** Removed because its TTL ran out (reported when the cache collected it). */
    EXPIRED,
    /** Removed by the cache's memory bound. */
    EVICTED;

    /** True for DELETE, EXPIRED and EVICTED. */
    public boolean isRemoval() {
      return this == DELETE || this == EXPIRED || this == EVICTED;
    }
  }

  public String keyAsString() {
    return new String(key, StandardCharsets.UTF_8);
  }

  public String valueAsString() {
    return new String(value, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CacheWatchEvent e
        && kind == e.kind
        && version == e.version
        && Arrays.equals(key, e.key)
        && ttlRemaining.equals(e.ttlRemaining)
        && Arrays.equals(value, e.value);
  }

  @Override
  public int hashCode() {
    return (Arrays.hashCode(key) * 31 + Long.hashCode(version)) * 31 + kind.hashCode();
  }

  @Override
  public String toString() {
    return kind + " " + keyAsString() + " v" + version + " (" + value.length + " bytes)";
  }
}
