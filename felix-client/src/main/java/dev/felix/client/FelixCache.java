package dev.felix.client;

import dev.felix.wire.message.CacheRef;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * One named cache on the broker, from {@link FelixClient#cache}. Calls travel on request streams of
 * the client's connection, many in flight at once (pipelined over {@link
 * FelixOptions#cacheStreams()} streams), so concurrent callers never wait for each other.
 *
 * <p><b>TTL:</b> a {@code null} or zero TTL means the cache's default; longer TTLs are capped by
 * the cache's maximum. An entry past its TTL is never returned.
 *
 * <p><b>Errors</b> are typed {@link dev.felix.error.FelixException}s: {@code MESSAGE_TOO_LARGE}
 * (key or value above a limit), {@code NOT_FOUND} (unknown cache with auto-create off), {@code
 * LIMIT_EXCEEDED} (cache count or memory budget), {@code TIMEOUT}/{@code UNAVAILABLE} (no answer).
 * A version mismatch in {@link #compareAndSet} is not an error: it returns empty.
 *
 * <p><b>Threads:</b> thread-safe. The synchronous methods wait at most the request timeout. The
 * futures of the {@code Async} methods complete on the client's I/O thread: do not block in their
 * continuations (use {@code thenApplyAsync} with your executor for slow work).
 */
public interface FelixCache {
  /** The cache's scoped name. */
  CacheRef ref();

  /** The entry, or empty when the key is absent or expired. */
  Optional<CacheEntry> get(byte[] key);

  /** As {@link #get(byte[])} with a UTF-8 key. */
  Optional<CacheEntry> get(String key);

  CompletableFuture<Optional<CacheEntry>> getAsync(byte[] key);

  /**
   * Stores a value unconditionally.
   *
   * @param ttl null or zero: the cache default
   * @return the entry's new version
   */
  long put(byte[] key, byte[] value, Duration ttl);

  /** Stores a value with the cache's default TTL; returns the new version. */
  long put(byte[] key, byte[] value);

  /** As {@link #put(byte[], byte[], Duration)} with a UTF-8 key and value. */
  long put(String key, String value, Duration ttl);

  CompletableFuture<Long> putAsync(byte[] key, byte[] value, Duration ttl);

  /** Removes the key; true when a live entry was removed. */
  boolean delete(byte[] key);

  /** As {@link #delete(byte[])} with a UTF-8 key. */
  boolean delete(String key);

  CompletableFuture<Boolean> deleteAsync(byte[] key);

  /**
   * Stores the value only if the key's current version is {@code expectedVersion}; {@code 0} means
   * the key must be absent (put-if-absent).
   *
   * @return the new version, or empty when the version did not match (someone else changed it)
   */
  OptionalLong compareAndSet(byte[] key, long expectedVersion, byte[] value, Duration ttl);

  CompletableFuture<OptionalLong> compareAndSetAsync(
      byte[] key, long expectedVersion, byte[] value, Duration ttl);

  /** Stores the value if the key is absent; the new version, or empty when it exists. */
  OptionalLong putIfAbsent(byte[] key, byte[] value, Duration ttl);

  /** Reads many keys in one call; one result per key, in order. */
  List<Optional<CacheEntry>> getAll(List<byte[]> keys);

  CompletableFuture<List<Optional<CacheEntry>>> getAllAsync(List<byte[]> keys);

  /**
   * Writes many entries in one call (each with the same TTL). Every entry is checked before any is
   * written; each write is atomic per key, not as a whole.
   *
   * @return the new versions, in the map's iteration order
   */
  List<Long> putAll(Map<byte[], byte[]> entries, Duration ttl);

  CompletableFuture<List<Long>> putAllAsync(Map<byte[], byte[]> entries, Duration ttl);

  /**
   * Watches the keys that start with {@code prefix} (empty: every key): the listener gets the
   * current entries, a snapshot-complete signal, then every later change (see {@link
   * CacheWatchListener}). Needs {@code cache.read} on the cache, which must exist. The watch runs
   * on a QUIC stream of its own until closed; it does not survive a reconnect (the listener gets
   * {@code UNAVAILABLE}: watch again).
   *
   * @throws dev.felix.error.FelixException {@code UNSUPPORTED_FEATURE} when the server does not
   *     offer watches; {@code UNAVAILABLE} when not connected
   */
  CacheWatchHandle watch(byte[] prefix, CacheWatchListener listener);

  /** As {@link #watch(byte[], CacheWatchListener)} with a UTF-8 prefix. */
  default CacheWatchHandle watch(String prefix, CacheWatchListener listener) {
    return watch(prefix.getBytes(java.nio.charset.StandardCharsets.UTF_8), listener);
  }
}
