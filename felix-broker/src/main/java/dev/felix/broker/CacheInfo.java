package dev.felix.broker;

import dev.felix.storage.cache.CacheStoreConfig;
import dev.felix.storage.cache.CacheStoreMetrics;
import dev.felix.wire.message.CacheRef;

/**
 * A snapshot of one cache.
 *
 * @param entries entries held, including expired ones not yet collected
 * @param bytes what they weigh against {@link CacheStoreConfig#maxBytes()}
 * @param metrics the cache's live counters
 */
public record CacheInfo(
    CacheRef cache, CacheStoreConfig config, long entries, long bytes, CacheStoreMetrics metrics) {}
