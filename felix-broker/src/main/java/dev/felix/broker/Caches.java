package dev.felix.broker;

import dev.felix.error.ConflictException;
import dev.felix.error.ErrorCode;
import dev.felix.error.LimitException;
import dev.felix.error.NotFoundException;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

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
 * <p>Threading: thread-safe. Calls on existing caches take no broker lock; creating and dropping
 * caches synchronise on this object to keep the budget exact. No call blocks on I/O.
 */
public final class Caches {
  private final CachesConfig config;
  private final BrokerConfig broker;
  private final Clock clock;
  private final Map<CacheRef, CacheStore> stores = new ConcurrentHashMap<>();
  private final LongAdder limitRejections = new LongAdder();
  private long reservedBytes;

  Caches(BrokerConfig broker, Clock clock) {
    this.config = broker.caches();
    this.broker = broker;
    this.clock = clock;
  }

  /**
   * Creates a cache with explicit settings.
   *
   * @throws ConflictException {@code ALREADY_EXISTS}
   * @throws LimitException {@code LIMIT_EXCEEDED}: cache count or memory budget
   * @throws IllegalArgumentException when the settings do not fit the broker (value above a frame)
   */
  public CacheInfo create(CacheRef cache, CacheStoreConfig settings) {
    broker.validate(settings);
    synchronized (this) {
      if (stores.containsKey(cache)) {
        throw new ConflictException(ErrorCode.ALREADY_EXISTS, "cache " + cache + " exists");
      }
      return info(cache, register(cache, settings));
    }
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
    CacheStore store = stores.get(cache);
    if (store == null) {
      throw new NotFoundException(ErrorCode.NOT_FOUND, "no cache " + cache);
    }
    store.reconfigure(settings);
    return info(cache, store);
  }

  /** The cache, if it exists. */
  public Optional<CacheInfo> describe(CacheRef cache) {
    CacheStore store = stores.get(cache);
    return store == null ? Optional.empty() : Optional.of(info(cache, store));
  }

  /** Every cache (a snapshot). */
  public List<CacheInfo> list() {
    List<CacheInfo> all = new ArrayList<>(stores.size());
    stores.forEach((ref, store) -> all.add(info(ref, store)));
    return all;
  }

  /**
   * Removes a cache and its entries, returning its bound to the budget.
   *
   * @return how many entries it held
   * @throws NotFoundException {@code NOT_FOUND}
   */
  public long drop(CacheRef cache) {
    CacheStore removed;
    synchronized (this) {
      removed = stores.remove(cache);
      if (removed == null) {
        throw new NotFoundException(ErrorCode.NOT_FOUND, "no cache " + cache);
      }
      reservedBytes -= removed.config().maxBytes();
    }
    return removed.close();
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

  public CacheValue put(CacheRef cache, Bytes key, Bytes value, long ttlMs) {
    return forWrite(cache).put(key, value, ttlMs);
  }

  public List<CacheValue> putAll(CacheRef cache, List<CacheMultiPut.Entry> entries) {
    List<Bytes> keys = new ArrayList<>(entries.size());
    List<Bytes> values = new ArrayList<>(entries.size());
    List<Long> ttls = new ArrayList<>(entries.size());
    for (CacheMultiPut.Entry entry : entries) {
      keys.add(entry.key());
      values.add(entry.value());
      ttls.add(entry.ttlMs());
    }
    return forWrite(cache).putAll(keys, values, ttls);
  }

  public CacheValue delete(CacheRef cache, Bytes key) {
    CacheStore store = forRead(cache);
    return store == null ? CacheValue.MISS : store.delete(key);
  }

  /**
   * Stores the value if the key's version is {@code expectedVersion} (0: absent).
   *
   * @throws ConflictException {@code CONFLICT} when it is not
   */
  public CacheValue compareAndSet(
      CacheRef cache, Bytes key, long expectedVersion, Bytes value, long ttlMs) {
    return forWrite(cache).compareAndSet(key, expectedVersion, value, ttlMs);
  }

  /** The store, or null when absent and auto-create is on (the read answers MISS). */
  private CacheStore forRead(CacheRef cache) {
    CacheStore store = stores.get(cache);
    if (store == null && !config.autoCreate()) {
      throw new NotFoundException(ErrorCode.NOT_FOUND, "no cache " + cache);
    }
    return store;
  }

  private CacheStore forWrite(CacheRef cache) {
    CacheStore store = stores.get(cache);
    if (store != null) {
      return store;
    }
    if (!config.autoCreate()) {
      throw new NotFoundException(ErrorCode.NOT_FOUND, "no cache " + cache);
    }
    synchronized (this) {
      store = stores.get(cache);
      return store != null ? store : register(cache, config.defaults());
    }
  }

  /** Caller holds this object's lock. */
  private CacheStore register(CacheRef cache, CacheStoreConfig settings) {
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
    CacheStore store = new CacheStore(settings, clock);
    stores.put(cache, store);
    reservedBytes += settings.maxBytes();
    return store;
  }

  private static CacheInfo info(CacheRef ref, CacheStore store) {
    return new CacheInfo(
        ref, store.config(), store.entries(), store.weightedBytes(), store.metrics());
  }
}
