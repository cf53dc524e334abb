package dev.felix.broker;

import dev.felix.storage.cache.CacheLogMetrics;
import dev.felix.storage.cache.CacheStoreConfig;
import dev.felix.storage.cache.CacheStoreMetrics;
import dev.felix.wire.message.CacheRef;

/**
 * A snapshot of one cache.
 *
 * @param entries entries held, including expired ones not yet collected
 * @param bytes what they weigh against {@link CacheStoreConfig#maxBytes()}
 * @param metrics the cache's live counters
 * @param storage memory or durable
 * @param log the counters of a durable cache's log; null for memory caches
 * @param logQueuedBytes changes of a durable cache waiting to be written (0 for memory caches)
 * @param logErrors failed appends, compactions, creations and deletions of a durable cache's log
 */
public record CacheInfo(
    CacheRef cache,
    CacheStoreConfig config,
    long entries,
    long bytes,
    CacheStoreMetrics metrics,
    CacheStorage storage,
    CacheLogMetrics log,
    long logQueuedBytes,
    long logErrors) {}
