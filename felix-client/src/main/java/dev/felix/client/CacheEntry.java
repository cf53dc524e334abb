package dev.felix.client;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * A cache entry as read: its value, its version (use it for {@link FelixCache#compareAndSet}) and
 * the time it has left.
 *
 * @param value the value bytes (a copy owned by the caller)
 * @param version the entry's version, > 0; it grows with every change of the key
 * @param ttlRemaining time until the entry expires; empty when it never expires
 */
public record CacheEntry(byte[] value, long version, Optional<Duration> ttlRemaining) {
  /** The value decoded as UTF-8. */
  public String valueAsString() {
    return new String(value, java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CacheEntry that
        && version == that.version
        && Arrays.equals(value, that.value)
        && ttlRemaining.equals(that.ttlRemaining);
  }

  @Override
  public int hashCode() {
    return 31 * Long.hashCode(version) + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return "CacheEntry[version="
        + version
        + ", bytes="
        + value.length
        + ", ttl="
        + ttlRemaining
        + "]";
  }
}
