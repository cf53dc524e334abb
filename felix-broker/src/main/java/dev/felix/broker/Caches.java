package dev.felix.broker;

import dev.felix.broker.storage.BrokerStorage;
import dev.felix.broker.storage.CacheFiles;
import dev.felix.broker.storage.DurableCacheJournal;
import dev.felix.error.ConflictException;
import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.error.LimitException;
import dev.felix.error.NotFoundException;
import dev.felix.error.UnavailableException;
import dev.felix.storage.cache.CacheLogRecord;
import dev.felix.storage.cache.CacheStore;
import dev.felix.storage.cache.CacheStoreConfig;
import dev.felix.storage.time.Clock;
import dev.felix.wire.Bytes;
import dev.felix.wire.message.CacheMultiPut;
import dev.felix.wire.message.CacheRef;
import dev.felix.wire.message.CacheValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's named caches: creation (explicit, or on first write when auto-create is on), the
 * broker-wide memory budget, and the cache calls.
 *
 * <p>Memory is bounded twice: each cache by its own {@code maxBytes} (Caffeine evicts past it), and
 * the broker by {@link CachesConfig#totalMaxBytes()}, which the bounds of all caches together may
 * not exceed. A cache is created only when its whole bound fits the budget, so the sum of bytes
 * held never passes the budget, whatever clients write.
 *
 * <p>Reads (get, multi-get, delete) of a cache that does not exist answer MISS without creating it
 * when auto-create is on, so lookups of random names cannot use up the budget.
 *
 * <p><b>Durable caches</b> ({@link CacheStorage#durable()}) also write every change to a log under
 * {@code <dataDir>/caches} ({@link DurableCacheJournal}); their writes are answered by the {@code
 * *Async} calls once the change is as durable as the cache's fsync policy promises. They are found
 * again on disk at start ({@link #recoverDurableCaches()}), not in the metadata store.
 *
 * <p>Threading: thread-safe. Calls on existing caches take no broker lock; creating and dropping
 * caches synchronise on this object to keep the budget exact. Cache calls never block on I/O;
 * creating (admin), updating and dropping a durable cache wait for its storage lane.
 */
public final class Caches {
  private static final Logger LOG = LoggerFactory.getLogger(Caches.class);
  private static final long CREATE_TIMEOUT_SECONDS = 30;

  /** One cache: its store, storage, and the journal of a durable cache (else null). */
  private record Held(
      CacheStore store,
      CacheStorage storage,
      DurableCacheJournal journal,
      Set<CacheWatch> watches) {
    Held(CacheStore store, CacheStorage storage, DurableCacheJournal journal) {
      this(store, storage, journal, ConcurrentHashMap.newKeySet());
    }
  }

  private final CachesConfig config;
  private final BrokerConfig broker;
  private final Clock clock;
  private final BrokerStorage storage;
  private final Map<CacheRef, Held> stores = new ConcurrentHashMap<>();
  private final LongAdder limitRejections = new LongAdder();
  private final AtomicInteger activeWatches = new AtomicInteger();
  private final LongAdder watchesStarted = new LongAdder();
  private final LongAdder slowWatches = new LongAdder();
  private long reservedBytes;

  /** Memory caches only (tests). */
  Caches(BrokerConfig broker, Clock clock) {
    this(broker, clock, null);
  }

  Caches(BrokerConfig broker, Clock clock, BrokerStorage storage) {
    this.config = broker.caches();
    this.broker = broker;
    this.clock = clock;
    this.storage = storage;
  }

  /**
   * Reopens the durable caches found under the data directory and replays their logs. A cache that
   * no longer fits the budget or the cache count is logged and left on disk, untouched.
   *
   * @throws dev.felix.error.StorageException when a log is damaged (better not to start than to
   *     serve a cache with silently missing entries)
   */
  void recoverDurableCaches() {
    if (storage == null || storage.cacheFiles().isEmpty()) {
      return;
    }
    for (CacheFiles.Found found : storage.cacheFiles().get().findAll()) {
      synchronized (this) {
        try {
          checkRoom(found.ref(), found.settings());
        } catch (LimitException e) {
          LOG.error("durable cache {} not reopened: {}", found.ref(), e.getMessage());
          continue;
        }
        DurableCacheJournal journal =
            DurableCacheJournal.recover(found.ref(), found.storage(), storage, clock);
        CacheStore store = new CacheStore(found.settings(), clock, journal);
        long restored = 0;
        for (CacheLogRecord entry : journal.recoveredEntries()) {
          restored += store.restore(entry) ? 1 : 0;
        }
        store.continueVersionsAbove(journal.recoveredMaxVersion());
        stores.put(found.ref(), new Held(store, found.storage(), journal));
        reservedBytes += found.settings().maxBytes();
        LOG.info(
            "durable cache {}: {} entries restored, {} log records replayed",
            found.ref(),
            restored,
            journal.metrics().replayedRecords());
      }
    }
  }

  /**
   * Watches the keys of an existing cache that start with {@code prefix}: registers the watch,
   * reads the snapshot, and sends both to {@code sink} (see {@link CacheWatch}); the snapshot is
   * sent on the calling thread.
   *
   * @throws NotFoundException {@code NOT_FOUND} when the cache does not exist (a watch never
   *     creates one)
   * @throws LimitException {@code LIMIT_EXCEEDED} past the broker's watch limit
   */
  public CacheWatch watch(CacheRef cache, Bytes prefix, CacheWatch.Sink sink) {
    Held held = stores.get(cache);
    if (held == null) {
      throw new NotFoundException(ErrorCode.NOT_FOUND, "no cache " + cache);
    }
    int max = broker.cacheWatches().maxWatches();
    if (activeWatches.incrementAndGet() > max) {
      activeWatches.decrementAndGet();
      throw new LimitException(
          ErrorCode.LIMIT_EXCEEDED, "the broker serves at most " + max + " cache watches");
    }
    watchesStarted.increment();
    CacheWatch[] self = new CacheWatch[1];
    CacheWatch watch =
        new CacheWatch(
            prefix,
            sink,
            broker.cacheWatches().bufferChanges(),
            reason -> {
              held.store().removeWatcher(self[0]);
              held.watches().remove(self[0]);
              activeWatches.decrementAndGet();
              if (reason.code() == ErrorCode.SLOW_CONSUMER) {
                slowWatches.increment();
              }
            });
    self[0] = watch;
    held.watches().add(watch);
    held.store().addWatcher(watch);
    if (stores.get(cache) != held) {
      watch.end(new NotFoundException(ErrorCode.NOT_FOUND, "cache " + cache + " was deleted"));
      return watch;
    }
    watch.start(held.store().snapshot(prefix));
    return watch;
  }

  /** Gauge {@code felix_cache_watches}: watches being served. */
  public int activeWatches() {
    return activeWatches.get();
  }

  /** Counter {@code felix_cache_watches_started_total}. */
  public long watchesStarted() {
    return watchesStarted.sum();
  }

  /** Counter {@code felix_cache_watches_slow_total}: watches ended with SLOW_CONSUMER. */
  public long slowWatches() {
    return slowWatches.sum();
  }

  /** Closes the logs of durable caches (each a final flush) and ends every watch. */
  void close() {
    for (Held held : stores.values()) {
      endWatches(held, new UnavailableException(ErrorCode.UNAVAILABLE, "the broker is stopping"));
    }
    for (Held held : stores.values()) {
      if (held.journal() != null) {
        try {
          held.journal().close();
        } catch (RuntimeException e) {
          LOG.warn("closing durable cache log failed: {}", e.getMessage());
        }
      }
    }
  }

  /**
   * Creates a cache with explicit settings.
   *
   * @throws ConflictException {@code ALREADY_EXISTS}
   * @throws LimitException {@code LIMIT_EXCEEDED}: cache count or memory budget
   * @throws IllegalArgumentException when the settings do not fit the broker (value above a frame)
   */
  public CacheInfo create(CacheRef cache, CacheStoreConfig settings) {
    return create(cache, settings, CacheStorage.MEMORY);
  }

  /**
   * Creates a cache with explicit settings and storage; a durable cache's files exist when this
   * returns.
   *
   * @throws dev.felix.error.StorageException when a durable cache's files cannot be created
   */
  public CacheInfo create(CacheRef cache, CacheStoreConfig settings, CacheStorage cacheStorage) {
    broker.validate(settings);
    broker.validate(cacheStorage);
    Held held;
    synchronized (this) {
      if (stores.containsKey(cache)) {
        throw new ConflictException(ErrorCode.ALREADY_EXISTS, "cache " + cache + " exists");
      }
      held = register(cache, settings, cacheStorage);
    }
    if (held.journal() != null) {
      try {
        await(held.journal().opened());
      } catch (RuntimeException e) {
        drop(cache);
        throw e;
      }
    }
    return info(cache, held);
  }

  /**
   * Changes an existing cache's TTL defaults and value limit ({@link CacheStore#reconfigure}); its
   * entries stay.
   *
   * @throws NotFoundException {@code NOT_FOUND}
   * @throws IllegalArgumentException when the settings do not fit the broker or change maxBytes
   */
  public CacheInfo update(CacheRef cache, CacheStoreConfig settings) {
    broker.validate(settings);
    Held held = stores.get(cache);
    if (held == null) {
      throw new NotFoundException(ErrorCode.NOT_FOUND, "no cache " + cache);
    }
    if (settings.maxBytes() != held.store().config().maxBytes()) {
      throw new IllegalArgumentException(
          "cache maxBytes is fixed at creation (" + held.store().config().maxBytes() + ")");
    }
    if (held.journal() != null) {
      held.journal().updateDefinition(settings, held.storage());
    }
    held.store().reconfigure(settings);
    return info(cache, held);
  }

  /** The cache, if it exists. */
  public Optional<CacheInfo> describe(CacheRef cache) {
    Held held = stores.get(cache);
    return held == null ? Optional.empty() : Optional.of(info(cache, held));
  }

  /** Every cache (a snapshot). */
  public List<CacheInfo> list() {
    List<CacheInfo> all = new ArrayList<>(stores.size());
    stores.forEach((ref, held) -> all.add(info(ref, held)));
    return all;
  }

  /**
   * Removes a cache and its entries, returning its bound to the budget.
   *
   * @return how many entries it held
   * @throws NotFoundException {@code NOT_FOUND}
   */
  public long drop(CacheRef cache) {
    Held removed;
    synchronized (this) {
      removed = stores.remove(cache);
      if (removed == null) {
        throw new NotFoundException(ErrorCode.NOT_FOUND, "no cache " + cache);
      }
      reservedBytes -= removed.store().config().maxBytes();
    }
    endWatches(removed, new NotFoundException(ErrorCode.NOT_FOUND, "cache " + cache + " deleted"));
    long entries = removed.store().close();
    if (removed.journal() != null) {
      removed.journal().delete();
    }
    return entries;
  }

  /** The broker's cache memory budget ({@link CachesConfig#totalMaxBytes()}). */
  public long budgetBytes() {
    return config.totalMaxBytes();
  }

  /** Bytes of the memory budget the existing caches' bounds take. */
  public synchronized long reservedBytes() {
    return reservedBytes;
  }

  /** Cache creations refused by the cache count or the memory budget. */
  public long limitRejections() {
    return limitRejections.sum();
  }

  public CacheValue get(CacheRef cache, Bytes key) {
    CacheStore store = forRead(cache);
    return store == null ? CacheValue.MISS : store.get(key);
  }

  /**
   * One value per key, in order.
   *
   * @throws LimitException {@code LIMIT_EXCEEDED} when the answer would not fit one frame
   */
  public List<CacheValue> getAll(CacheRef cache, List<Bytes> keys) {
    CacheStore store = forRead(cache);
    List<CacheValue> values = new ArrayList<>(keys.size());
    long answerBytes = 4;
    for (Bytes key : keys) {
      CacheValue value = store == null ? CacheValue.MISS : store.get(key);
      answerBytes += BrokerConfig.CACHE_VALUE_OVERHEAD_BYTES + value.value().length();
      if (answerBytes > broker.wireLimits().maxFramePayloadBytes()) {
        throw new LimitException(
            ErrorCode.LIMIT_EXCEEDED,
            "the values of "
                + keys.size()
                + " keys exceed one frame ("
                + broker.wireLimits().maxFramePayloadBytes()
                + " bytes); ask for fewer keys");
      }
      values.add(value);
    }
    return values;
  }

  /** As {@link #putAsync}, waiting for the answer (tests and tools, never an event loop). */
  public CacheValue put(CacheRef cache, Bytes key, Bytes value, long ttlMs) {
    return join(putAsync(cache, key, value, ttlMs));
  }

  /** Stores the value; the answer completes when the change is durable (memory: at once). */
  public CompletionStage<CacheValue> putAsync(CacheRef cache, Bytes key, Bytes value, long ttlMs) {
    return forWrite(cache).putAsync(key, value, ttlMs);
  }

  /** As {@link #putAllAsync}, waiting for the answer. */
  public List<CacheValue> putAll(CacheRef cache, List<CacheMultiPut.Entry> entries) {
    return join(putAllAsync(cache, entries));
  }

  public CompletionStage<List<CacheValue>> putAllAsync(
      CacheRef cache, List<CacheMultiPut.Entry> entries) {
    List<Bytes> keys = new ArrayList<>(entries.size());
    List<Bytes> values = new ArrayList<>(entries.size());
    List<Long> ttls = new ArrayList<>(entries.size());
    for (CacheMultiPut.Entry entry : entries) {
      keys.add(entry.key());
      values.add(entry.value());
      ttls.add(entry.ttlMs());
    }
    return forWrite(cache).putAllAsync(keys, values, ttls);
  }

  /** As {@link #deleteAsync}, waiting for the answer. */
  public CacheValue delete(CacheRef cache, Bytes key) {
    return join(deleteAsync(cache, key));
  }

  public CompletionStage<CacheValue> deleteAsync(CacheRef cache, Bytes key) {
    CacheStore store = forRead(cache);
    return store == null
        ? CompletableFuture.completedFuture(CacheValue.MISS)
        : store.deleteAsync(key);
  }

  /**
   * Stores the value if the key's version is {@code expectedVersion} (0: absent).
   *
   * @throws ConflictException {@code CONFLICT} when it is not
   */
  public CacheValue compareAndSet(
      CacheRef cache, Bytes key, long expectedVersion, Bytes value, long ttlMs) {
    return join(compareAndSetAsync(cache, key, expectedVersion, value, ttlMs));
  }

  public CompletionStage<CacheValue> compareAndSetAsync(
      CacheRef cache, Bytes key, long expectedVersion, Bytes value, long ttlMs) {
    return forWrite(cache).compareAndSetAsync(key, expectedVersion, value, ttlMs);
  }

  /** The store, or null when absent and auto-create is on (the read answers MISS). */
  private CacheStore forRead(CacheRef cache) {
    Held held = stores.get(cache);
    if (held == null && !config.autoCreate()) {
      throw new NotFoundException(ErrorCode.NOT_FOUND, "no cache " + cache);
    }
    return held == null ? null : held.store();
  }

  private CacheStore forWrite(CacheRef cache) {
    Held held = stores.get(cache);
    if (held != null) {
      return held.store();
    }
    if (!config.autoCreate()) {
      throw new NotFoundException(ErrorCode.NOT_FOUND, "no cache " + cache);
    }
    synchronized (this) {
      held = stores.get(cache);
      // An auto-created durable cache creates its files on its lane, before its first write.
      return held != null
          ? held.store()
          : register(cache, config.defaults(), config.storage()).store();
    }
  }

  /** Caller holds this object's lock. */
  private Held register(CacheRef cache, CacheStoreConfig settings, CacheStorage cacheStorage) {
    checkRoom(cache, settings);
    DurableCacheJournal journal = null;
    if (cacheStorage.durable()) {
      if (storage == null) {
        throw new UnavailableException(
            ErrorCode.UNAVAILABLE, "durable cache " + cache + " needs a data directory");
      }
      journal = DurableCacheJournal.create(cache, settings, cacheStorage, storage, clock);
    }
    Held held = new Held(new CacheStore(settings, clock, journal), cacheStorage, journal);
    stores.put(cache, held);
    reservedBytes += settings.maxBytes();
    return held;
  }

  /** Caller holds this object's lock. */
  private void checkRoom(CacheRef cache, CacheStoreConfig settings) {
    if (stores.size() >= config.maxCaches()) {
      limitRejections.increment();
      throw new LimitException(
          ErrorCode.LIMIT_EXCEEDED, "the broker holds at most " + config.maxCaches() + " caches");
    }
    if (reservedBytes + settings.maxBytes() > config.totalMaxBytes()) {
      limitRejections.increment();
      throw new LimitException(
          ErrorCode.LIMIT_EXCEEDED,
          "cache "
              + cache
              + " needs "
              + settings.maxBytes()
              + " bytes but only "
              + (config.totalMaxBytes() - reservedBytes)
              + " of the broker's cache memory budget are left");
    }
  }

  private static void endWatches(Held held, FelixException reason) {
    for (CacheWatch watch : List.copyOf(held.watches())) {
      watch.end(reason);
    }
  }

  private static CacheInfo info(CacheRef ref, Held held) {
    CacheStore store = held.store();
    DurableCacheJournal journal = held.journal();
    return new CacheInfo(
        ref,
        store.config(),
        store.entries(),
        store.weightedBytes(),
        store.metrics(),
        held.storage(),
        journal == null ? null : journal.metrics(),
        journal == null ? 0 : journal.queuedBytes(),
        journal == null ? 0 : journal.metrics().errors() + journal.failures());
  }

  private static <T> T join(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  private static void await(CompletionStage<Void> stage) {
    try {
      stage.toCompletableFuture().get(CREATE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new CompletionException(e);
    } catch (TimeoutException e) {
      throw new UnavailableException(
          ErrorCode.UNAVAILABLE, "the cache's storage lane did not answer in time");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException(ErrorCode.UNAVAILABLE, "interrupted");
    }
  }
}
