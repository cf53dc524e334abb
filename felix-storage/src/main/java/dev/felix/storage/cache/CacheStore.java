package dev.felix.storage.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.felix.error.ConflictException;
import dev.felix.error.ErrorCode;
import dev.felix.error.LimitException;
import dev.felix.error.NotFoundException;
import dev.felix.error.ProtocolException;
import dev.felix.storage.time.Clock;
import dev.felix.wire.Bytes;
import dev.felix.wire.message.CacheChange;
import dev.felix.wire.message.CacheValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One named cache: key to value with a version and an optional expiry, bounded by bytes.
 *
 * <h2>Rules</h2>
 *
 * <ul>
 *   <li><b>Versions</b> come from one counter per store, taken inside the key's atomic update, so a
 *       key's version strictly increases with every change, also across a delete and a new put.
 *   <li><b>Expiry</b> is checked on every read against the entry's own deadline: an entry past its
 *       TTL is never returned, even before Caffeine collects it.
 *   <li><b>Bound</b>: entries weigh {@link EntryWeight} bytes; past {@link
 *       CacheStoreConfig#maxBytes()} Caffeine evicts by W-TinyLFU (recency and frequency). Its
 *       maintenance runs on the writing thread, not a pool, so the bound holds when a write returns
 *       and eviction never lags behind a fast writer.
 * </ul>
 *
 * <h2>Durable stores</h2>
 *
 * <p>A store built with a {@link CacheJournal} hands every put, delete, compare-and-set and
 * eviction to it inside the key's atomic update, so the journal sees each key's changes in version
 * order. Such a store is written only through the {@code *Async} methods, whose answers complete
 * when the journal says the change is durable; when the journal is full the change is not made and
 * the call fails with {@code BACKPRESSURE}. Evictions are journaled as removals (past the journal's
 * bound: they cannot be refused), so a restart restores what the store held; expiries are not,
 * since every journaled entry carries its absolute deadline.
 *
 * <p>Threading: thread-safe, no locks of its own; each key's changes are atomic (Caffeine's per-key
 * compute). Nothing blocks on I/O, so callers may run on an event loop.
 */
public final class CacheStore {
  /**
   * Volatile so {@link #reconfigure} reaches every thread: one plain load per write, the same cost
   * as the final field it replaced on x86 and ARM alike.
   */
  private volatile CacheStoreConfig config;

  private final Clock clock;
  private final Cache<Bytes, StoredEntry> entries;
  private final AtomicLong versions = new AtomicLong();
  private volatile boolean closed;
  private final CacheStoreMetrics metrics = new CacheStoreMetrics();
  private final CacheJournal journal;

  /** Copy on write: read on every change, changed only when a watch starts or ends. */
  private volatile CacheWatcher[] watchers = new CacheWatcher[0];

  /** A memory-only store. */
  public CacheStore(CacheStoreConfig config, Clock clock) {
    this(config, clock, null);
  }

  /**
   * A store whose changes go to {@code journal} (null: memory only).
   *
   * @see CacheJournal
   */
  public CacheStore(CacheStoreConfig config, Clock clock, CacheJournal journal) {
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.journal = journal;
    this.entries =
        Caffeine.newBuilder()
            .maximumWeight(config.maxBytes())
            .weigher(
                (Bytes key, StoredEntry entry) ->
                    EntryWeight.of(key.length(), entry.value().length()))
            .expireAfter(new DeadlineExpiry())
            .ticker(clock::nanoTime)
            .executor(Runnable::run)
            .removalListener((Bytes key, StoredEntry entry, RemovalCause cause) -> count(cause))
            // Runs inside the atomic removal of the victim, so the removal is journaled before
            // any later change of that key.
            .evictionListener(this::journalEviction)
            .build();
  }

  /**
   * Starts sending the changes of matching keys to {@code watcher} (see {@link CacheWatcher}). Call
   * {@link #snapshot} after this, so that no change falls between the snapshot and the changes.
   */
  public synchronized void addWatcher(CacheWatcher watcher) {
    CacheWatcher[] next = java.util.Arrays.copyOf(watchers, watchers.length + 1);
    next[watchers.length] = watcher;
    watchers = next;
  }

  public synchronized void removeWatcher(CacheWatcher watcher) {
    List<CacheWatcher> kept = new ArrayList<>(List.of(watchers));
    kept.remove(watcher);
    watchers = kept.toArray(new CacheWatcher[0]);
  }

  /**
   * The live entries whose keys start with {@code prefix}, as SNAPSHOT changes. Weakly consistent
   * (entries may change meanwhile): a watcher added before the call receives every such change, so
   * it can tell by version which of them the snapshot already holds.
   */
  public List<CacheChange> snapshot(Bytes prefix) {
    long now = clock.nanoTime();
    List<CacheChange> snapshot = new ArrayList<>();
    entries
        .asMap()
        .forEach(
            (key, entry) -> {
              if (entry.isLiveAt(now) && CacheWatcher.matches(key, prefix)) {
                snapshot.add(
                    new CacheChange(
                        CacheChange.Kind.SNAPSHOT,
                        key,
                        entry.version(),
                        wireTtl(entry, now),
                        entry.value()));
              }
            });
    return snapshot;
  }

  /**
   * Remaining TTL for a watch: -1 (never) or at least 1 ms, since the wire has no "expires now" (an
   * entry whose deadline passes meanwhile is reported EXPIRED when collected).
   */
  private static long wireTtl(StoredEntry entry, long now) {
    long remaining = entry.remainingMillis(now);
    return remaining == 0 ? 1 : remaining;
  }

  /** Hands a change to the matching watchers; called inside the key's atomic update. */
  private void notifyWatchers(CacheChange.Kind kind, Bytes key, StoredEntry entry) {
    CacheWatcher[] current = watchers;
    if (current.length == 0) {
      return;
    }
    CacheChange change = null;
    for (CacheWatcher watcher : current) {
      if (CacheWatcher.matches(key, watcher.prefix())) {
        if (change == null) {
          change =
              kind.isRemoval()
                  ? CacheChange.removal(kind, key, entry.version())
                  : new CacheChange(
                      kind, key, entry.version(), wireTtl(entry, clock.nanoTime()), entry.value());
        }
        watcher.onChange(change);
      }
    }
  }

  /** True when the store's changes go to a journal (a durable cache). */
  public boolean journaled() {
    return journal != null;
  }

  public CacheStoreConfig config() {
    return config;
  }

  /**
   * Changes the TTL defaults and the value limit; entries already stored keep their deadlines, new
   * writes follow the new settings. The byte bound is fixed at creation: Caffeine's weight bound
   * and the broker's budget reservation were sized for it.
   *
   * @throws IllegalArgumentException when {@code next} has another {@code maxBytes}
   */
  public void reconfigure(CacheStoreConfig next) {
    Objects.requireNonNull(next, "next");
    if (next.maxBytes() != config.maxBytes()) {
      throw new IllegalArgumentException(
          "cache maxBytes is fixed at creation (" + config.maxBytes() + ")");
    }
    config = next;
  }

  public CacheStoreMetrics metrics() {
    return metrics;
  }

  /** HIT with version, remaining TTL and value, or MISS when absent or expired. */
  public CacheValue get(Bytes key) {
    long now = clock.nanoTime();
    StoredEntry entry = entries.getIfPresent(key);
    if (entry == null || !entry.isLiveAt(now)) {
      metrics.miss();
      return CacheValue.MISS;
    }
    metrics.hit();
    return CacheValue.hit(entry.version(), entry.remainingMillis(now), entry.value());
  }

  /** One answer per key, in the order of {@code keys}. */
  public List<CacheValue> getAll(List<Bytes> keys) {
    List<CacheValue> values = new ArrayList<>(keys.size());
    for (Bytes key : keys) {
      values.add(get(key));
    }
    return values;
  }

  /**
   * Stores {@code value} unconditionally.
   *
   * @param ttlMs 0 = the cache default; else capped by the cache's maximum
   * @return HIT with the new version and remaining TTL, empty value
   * @throws LimitException {@code MESSAGE_TOO_LARGE}: value above the limit, or an entry that can
   *     never fit the cache
   */
  public CacheValue put(Bytes key, Bytes value, long ttlMs) {
    requireMemoryOnly();
    return putAsync(key, value, ttlMs).toCompletableFuture().join();
  }

  /**
   * As {@link #put}; the answer completes when the change is durable (at once without a journal).
   *
   * @throws LimitException also {@code BACKPRESSURE} when the journal is full (nothing changed)
   */
  public CompletionStage<CacheValue> putAsync(Bytes key, Bytes value, long ttlMs) {
    checkWrite(key, value, ttlMs);
    Journaled journaled = new Journaled();
    StoredEntry stored =
        entries.asMap().compute(key, (k, old) -> journaled.put(k, old, newEntry(value, ttlMs)));
    journaled.throwIfRefused();
    requireOpen();
    metrics.put();
    return journaled.answer(written(stored));
  }

  /**
   * Stores each entry as {@link #put}, in order. Every entry is checked before any is written, so a
   * refused batch changes nothing; the writes themselves are atomic per key, not as a whole.
   */
  public List<CacheValue> putAll(List<Bytes> keys, List<Bytes> values, List<Long> ttlsMs) {
    requireMemoryOnly();
    return putAllAsync(keys, values, ttlsMs).toCompletableFuture().join();
  }

  /**
   * As {@link #putAll}; the answer completes when every entry is durable. A full journal stops the
   * batch with {@code BACKPRESSURE}: entries before it are written (and become durable), none after
   * it.
   */
  public CompletionStage<List<CacheValue>> putAllAsync(
      List<Bytes> keys, List<Bytes> values, List<Long> ttlsMs) {
    if (keys.size() != values.size() || keys.size() != ttlsMs.size()) {
      throw new IllegalArgumentException("keys, values and ttls differ in size");
    }
    for (int i = 0; i < keys.size(); i++) {
      checkWrite(keys.get(i), values.get(i), ttlsMs.get(i));
    }
    List<CacheValue> answers = new ArrayList<>(keys.size());
    Journaled journaled = new Journaled();
    for (int i = 0; i < keys.size(); i++) {
      Bytes value = values.get(i);
      long ttl = ttlsMs.get(i);
      StoredEntry stored =
          entries
              .asMap()
              .compute(keys.get(i), (k, old) -> journaled.put(k, old, newEntry(value, ttl)));
      journaled.throwIfRefused();
      requireOpen();
      metrics.put();
      answers.add(written(stored));
    }
    return journaled.answer(answers);
  }

  /**
   * Removes the key.
   *
   * @return HIT carrying the removed entry's version and remaining TTL (empty value) when a live
   *     entry was removed; MISS otherwise
   */
  public CacheValue delete(Bytes key) {
    requireMemoryOnly();
    return deleteAsync(key).toCompletableFuture().join();
  }

  /** As {@link #delete}; the answer completes when the removal is durable. */
  public CompletionStage<CacheValue> deleteAsync(Bytes key) {
    long now = clock.nanoTime();
    Journaled journaled = new Journaled();
    StoredEntry[] removed = new StoredEntry[1];
    entries
        .asMap()
        .compute(
            key,
            (k, old) -> {
              // An expired entry goes without a journal record: its deadline is in the journal.
              if (old == null || !old.isLiveAt(now)) {
                if (old != null) {
                  notifyWatchers(CacheChange.Kind.EXPIRED, k, old);
                }
                return null;
              }
              if (!journaled.remove(k, old)) {
                return old;
              }
              removed[0] = old;
              return null;
            });
    journaled.throwIfRefused();
    StoredEntry entry = removed[0];
    if (entry == null) {
      metrics.miss();
      return CompletableFuture.completedFuture(CacheValue.MISS);
    }
    metrics.delete();
    return journaled.answer(
        CacheValue.hit(entry.version(), entry.remainingMillis(now), Bytes.EMPTY));
  }

  /**
   * Stores {@code value} only if the key's current version is {@code expectedVersion} (0: the key
   * must be absent or expired).
   *
   * @return HIT with the new version, empty value
   * @throws ConflictException {@code CONFLICT} when the version differs
   */
  public CacheValue compareAndSet(Bytes key, long expectedVersion, Bytes value, long ttlMs) {
    requireMemoryOnly();
    return compareAndSetAsync(key, expectedVersion, value, ttlMs).toCompletableFuture().join();
  }

  /** As {@link #compareAndSet}; the answer completes when the change is durable. */
  public CompletionStage<CacheValue> compareAndSetAsync(
      Bytes key, long expectedVersion, Bytes value, long ttlMs) {
    if (expectedVersion < 0) {
      throw new ProtocolException(
          ErrorCode.INVALID_ARGUMENT, "expectedVersion must be >= 0: " + expectedVersion);
    }
    checkWrite(key, value, ttlMs);
    long[] found = new long[1];
    Journaled journaled = new Journaled();
    StoredEntry stored =
        entries
            .asMap()
            .compute(
                key,
                (k, old) -> {
                  long current = old != null && old.isLiveAt(clock.nanoTime()) ? old.version() : 0;
                  found[0] = current;
                  return current == expectedVersion
                      ? journaled.put(k, old, newEntry(value, ttlMs))
                      : old;
                });
    journaled.throwIfRefused();
    if (found[0] != expectedVersion) {
      metrics.casConflict();
      throw new ConflictException(
          ErrorCode.CONFLICT,
          expectedVersion == 0
              ? "key exists (version " + found[0] + ")"
              : "expected version " + expectedVersion + " but found " + found[0]);
    }
    requireOpen();
    metrics.put();
    return journaled.answer(written(stored));
  }

  /**
   * Puts back an entry read from the journal at start (not journaled again): skipped when its
   * absolute deadline has passed; later versions continue above its version.
   *
   * @return whether it was restored
   */
  public boolean restore(CacheLogRecord entry) {
    versions.accumulateAndGet(entry.version(), Math::max);
    if (entry.op() != CacheLogRecord.Op.PUT) {
      return false;
    }
    StoredEntry stored;
    if (entry.expiresAtMs() == 0) {
      stored = new StoredEntry(entry.value(), entry.version(), false, 0, 0);
    } else {
      long remainingMs = entry.expiresAtMs() - clock.epochMillis();
      if (remainingMs <= 0) {
        return false;
      }
      stored =
          new StoredEntry(
              entry.value(),
              entry.version(),
              true,
              clock.nanoTime() + remainingMs * 1_000_000,
              entry.expiresAtMs());
    }
    entries.put(entry.key(), stored);
    return true;
  }

  /** Makes every later version greater than {@code version} (a journal's highest). */
  public void continueVersionsAbove(long version) {
    versions.accumulateAndGet(version, Math::max);
  }

  /** Bytes the entries weigh now (never above {@link CacheStoreConfig#maxBytes()} after a call). */
  public long weightedBytes() {
    return entries.policy().eviction().orElseThrow().weightedSize().orElse(0);
  }

  /** Entries held, including expired ones not yet collected (Caffeine's estimate). */
  public long entries() {
    return entries.estimatedSize();
  }

  /** Collects expired entries and finishes pending evictions now (also done on every write). */
  public void cleanUp() {
    entries.cleanUp();
  }

  /**
   * Refuses every later write with {@code NOT_FOUND} and removes every entry; returns how many
   * there were. A write racing with it either lands before it (and is removed with the rest) or is
   * refused: it is never acknowledged into a cache that no longer exists.
   */
  public long close() {
    closed = true;
    return clear();
  }

  /** Checked after a write: a cache closed meanwhile must not acknowledge it. */
  private void requireOpen() {
    if (closed) {
      throw new NotFoundException(ErrorCode.NOT_FOUND, "the cache was deleted");
    }
  }

  /** Removes every entry; returns how many there were. */
  public long clear() {
    long count = entries.estimatedSize();
    entries.invalidateAll();
    entries.cleanUp();
    return count;
  }

  private void checkWrite(Bytes key, Bytes value, long ttlMs) {
    if (key.length() == 0) {
      throw new ProtocolException(ErrorCode.INVALID_ARGUMENT, "cache keys must not be empty");
    }
    if (ttlMs < 0) {
      throw new ProtocolException(ErrorCode.INVALID_ARGUMENT, "ttl must be >= 0: " + ttlMs);
    }
    if (value.length() > config.maxValueBytes()) {
      metrics.reject();
      throw new LimitException(
          ErrorCode.MESSAGE_TOO_LARGE,
          "value of " + value.length() + " bytes exceeds the limit of " + config.maxValueBytes());
    }
    if (EntryWeight.of(key.length(), value.length()) > config.maxBytes()) {
      metrics.reject();
      throw new LimitException(
          ErrorCode.MESSAGE_TOO_LARGE,
          "entry of "
              + EntryWeight.of(key.length(), value.length())
              + " bytes can never fit the cache's "
              + config.maxBytes()
              + " bytes");
    }
  }

  private StoredEntry newEntry(Bytes value, long ttlMs) {
    long ttl = config.effectiveTtlMs(ttlMs);
    long version = versions.incrementAndGet();
    if (ttl == 0) {
      return new StoredEntry(value, version, false, 0, 0);
    }
    return new StoredEntry(
        value,
        version,
        true,
        clock.nanoTime() + ttl * 1_000_000,
        journal == null ? 0 : clock.epochMillis() + ttl);
  }

  private void requireMemoryOnly() {
    if (journal != null) {
      throw new IllegalStateException("a journaled cache store is written through *Async calls");
    }
  }

  private void journalEviction(Bytes key, StoredEntry entry, RemovalCause cause) {
    if (key == null || entry == null) {
      return;
    }
    if (cause == RemovalCause.SIZE) {
      if (journal != null) {
        journal.record(CacheLogRecord.remove(key, entry.version()), true);
      }
      notifyWatchers(CacheChange.Kind.EVICTED, key, entry);
    } else if (cause == RemovalCause.EXPIRED) {
      notifyWatchers(CacheChange.Kind.EXPIRED, key, entry);
    }
  }

  /**
   * The journal's part in one call: what the store's atomic updates handed over, and whether the
   * journal refused. One instance per call, used by the calling thread only.
   */
  private final class Journaled {
    private boolean refused;
    private CompletionStage<Void> durable;

    /** The entry the update stores: {@code fresh}, or {@code old} when the journal is full. */
    StoredEntry put(Bytes key, StoredEntry old, StoredEntry fresh) {
      if (journal == null) {
        notifyWatchers(CacheChange.Kind.PUT, key, fresh);
        return fresh;
      }
      CompletionStage<Void> stage =
          journal.record(
              CacheLogRecord.put(key, fresh.value(), fresh.version(), fresh.expiresAtMs()), false);
      if (stage == null) {
        refused = true;
        return old;
      }
      add(stage);
      notifyWatchers(CacheChange.Kind.PUT, key, fresh);
      return fresh;
    }

    /** Whether the removal of {@code old} may go ahead. */
    boolean remove(Bytes key, StoredEntry old) {
      if (journal == null) {
        notifyWatchers(CacheChange.Kind.DELETE, key, old);
        return true;
      }
      CompletionStage<Void> stage =
          journal.record(CacheLogRecord.remove(key, old.version()), false);
      if (stage == null) {
        refused = true;
        return false;
      }
      add(stage);
      notifyWatchers(CacheChange.Kind.DELETE, key, old);
      return true;
    }

    private void add(CompletionStage<Void> stage) {
      durable = durable == null ? stage : durable.thenCombine(stage, (a, b) -> null);
    }

    void throwIfRefused() {
      if (refused) {
        metrics.reject();
        if (durable != null) {
          // Earlier entries of a multi-put were queued: they still become durable, unanswered.
          durable.exceptionally(failure -> null);
        }
        throw new LimitException(
            ErrorCode.BACKPRESSURE, "the cache's log queue is full; retry when it has drained");
      }
    }

    <T> CompletionStage<T> answer(T value) {
      return durable == null
          ? CompletableFuture.completedFuture(value)
          : durable.thenApply(ignored -> value);
    }
  }

  private CacheValue written(StoredEntry stored) {
    return CacheValue.hit(stored.version(), stored.remainingMillis(clock.nanoTime()), Bytes.EMPTY);
  }

  private void count(RemovalCause cause) {
    if (cause == RemovalCause.SIZE) {
      metrics.evicted();
    } else if (cause == RemovalCause.EXPIRED) {
      metrics.expired();
    }
  }

  /**
   * Tells Caffeine each entry's own deadline, so expired entries are collected, not only hidden.
   */
  private static final class DeadlineExpiry implements Expiry<Bytes, StoredEntry> {
    @Override
    public long expireAfterCreate(Bytes key, StoredEntry entry, long currentTime) {
      return entry.remainingNanos(currentTime);
    }

    @Override
    public long expireAfterUpdate(
        Bytes key, StoredEntry entry, long currentTime, long currentDuration) {
      return entry.remainingNanos(currentTime);
    }

    @Override
    public long expireAfterRead(
        Bytes key, StoredEntry entry, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }
}
