package dev.felix.client;

import dev.felix.error.FelixException;

/**
 * Receives a cache watch: first every matching entry ({@link #onSnapshotEntry}), then {@link
 * #onSnapshotComplete} once, then every later change ({@link #onChange}) of a matching key, per key
 * in version order, with no gap and no duplicate. Applying the events in order to a map keeps it
 * equal to the cache's matching entries.
 *
 * <p>Called on the connection's I/O thread, one event at a time in order: return quickly. A
 * listener that falls behind makes the broker end the watch with {@code SLOW_CONSUMER} ({@link
 * #onError}); watch again for a fresh snapshot.
 */
public interface CacheWatchListener {
  /** One live entry of the snapshot (kind SNAPSHOT). */
  void onSnapshotEntry(CacheWatchEvent entry);

  /** The snapshot is complete; changes follow. */
  default void onSnapshotComplete() {}

  /** A change of a watched key (PUT, DELETE, EXPIRED or EVICTED). */
  void onChange(CacheWatchEvent change);

  /**
   * The watch ended: {@code SLOW_CONSUMER}, {@code NOT_FOUND} (no such cache, or it was deleted),
   * {@code PERMISSION_DENIED}, {@code LIMIT_EXCEEDED}, {@code UNSUPPORTED_FEATURE}, or {@code
   * UNAVAILABLE} when the connection was lost. Not called after {@link CacheWatchHandle#close()}.
   */
  default void onError(FelixException error) {}
}
