/**
 * The cache store: one named cache's entries in memory, bounded by bytes, with per-entry expiry and
 * versions for compare-and-set. Eviction and expiry are Caffeine's (size by weight in bytes,
 * W-TinyLFU admission); this package adds versions, TTL rules and counters on top. See {@code
 * docs/cache.md}.
 */
package dev.felix.storage.cache;
