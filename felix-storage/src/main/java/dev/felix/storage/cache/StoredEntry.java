package dev.felix.storage.cache;

import dev.felix.wire.Bytes;

/**
 * One cached value as stored: immutable, replaced as a whole by every change.
 *
 * @param version cache-wide increasing number of the change that wrote it (> 0)
 * @param expires false when the entry never expires
 * @param expiresAtNanos deadline on the store's monotonic clock (compare by subtraction)
 * @param expiresAtMs the same deadline in epoch milliseconds, for the journal of a durable cache (0
 *     in memory-only stores, which never need it)
 */
record StoredEntry(
    Bytes value, long version, boolean expires, long expiresAtNanos, long expiresAtMs) {
  boolean isLiveAt(long nowNanos) {
    return !expires || expiresAtNanos - nowNanos > 0;
  }

  /** Nanoseconds until expiry (> 0 while live), {@link Long#MAX_VALUE} when it never expires. */
  long remainingNanos(long nowNanos) {
    return expires ? Math.max(0, expiresAtNanos - nowNanos) : Long.MAX_VALUE;
  }

  /** Milliseconds left for the wire, rounded up so a live entry never reports 0; -1 = never. */
  long remainingMillis(long nowNanos) {
    if (!expires) {
      return -1;
    }
    long nanos = Math.max(0, expiresAtNanos - nowNanos);
    return (nanos + 999_999) / 1_000_000;
  }
}
