package dev.felix.server.session;

import dev.felix.broker.CacheInfo;
import dev.felix.broker.Caches;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Cache metrics: per-cache counters and gauges read from the broker's caches at scrape time (labels
 * tenant, namespace, cache), the broker-wide budget, and the latency of each cache call as the
 * server handled it (decode to answer written).
 */
final class CacheMetrics {
  // Not "namespace": Prometheus adds the Kubernetes namespace label under that name on scrape.
  private static final String[] LABELS = {"tenant", "felix_namespace", "cache"};

  private final Histogram operationLatency;
  private final Counter watchChanges;

  CacheMetrics(PrometheusRegistry registry, Caches caches) {
    operationLatency =
        Histogram.builder()
            .name("felix_cache_operation_seconds")
            .help("Time the server took to handle a cache call, by operation")
            .labelNames("operation")
            .classicUpperBounds(
                0.000005, 0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.01,
                0.1)
            .classicOnly()
            .register(registry);
    ScrapedMetrics<CacheInfo> perCache =
        new ScrapedMetrics<>(registry, LABELS, caches::list, CacheMetrics::labels);
    perCache.counter(
        "felix_cache_hits_total", "Reads that found a live entry", info -> info.metrics().hits());
    perCache.counter(
        "felix_cache_misses_total",
        "Reads that found no live entry",
        info -> info.metrics().misses());
    perCache.counter("felix_cache_puts_total", "Entries written", info -> info.metrics().puts());
    perCache.counter(
        "felix_cache_deletes_total",
        "Deletes that removed a live entry",
        info -> info.metrics().deletes());
    perCache.counter(
        "felix_cache_cas_conflicts_total",
        "Compare-and-sets refused for a version mismatch",
        info -> info.metrics().casConflicts());
    perCache.counter(
        "felix_cache_evictions_total",
        "Entries evicted by the byte bound",
        info -> info.metrics().evictions());
    perCache.counter(
        "felix_cache_expirations_total",
        "Expired entries collected",
        info -> info.metrics().expirations());
    perCache.counter(
        "felix_cache_rejected_total",
        "Writes refused by a size limit",
        info -> info.metrics().rejected());
    perCache.gauge(
        "felix_cache_bytes", "Bytes the entries weigh against the cache bound", CacheInfo::bytes);
    perCache.gauge(
        "felix_cache_max_bytes", "The cache's byte bound", info -> info.config().maxBytes());
    perCache.gauge(
        "felix_cache_entries", "Entries held (expired ones until collected)", CacheInfo::entries);
    durableLog(perCache);
    ScrapedMetrics<Caches> broker = ScrapedMetrics.single(registry, caches);
    broker.gauge(
        "felix_cache_budget_max_bytes",
        "Broker cache memory budget (FELIX_CACHES_MAX_BYTES)",
        Caches::budgetBytes);
    broker.gauge(
        "felix_cache_budget_reserved_bytes",
        "Broker cache memory budget taken by the bounds of existing caches",
        Caches::reservedBytes);
    broker.counter(
        "felix_cache_limit_rejections_total",
        "Cache creations refused by the cache count or the memory budget",
        Caches::limitRejections);
    broker.gauge("felix_cache_watches", "Cache watches being served", Caches::activeWatches);
    broker.counter(
        "felix_cache_watches_started_total", "Cache watches started", Caches::watchesStarted);
    broker.counter(
        "felix_cache_watches_slow_total",
        "Cache watches ended with SLOW_CONSUMER (the client did not keep up)",
        Caches::slowWatches);
    watchChanges =
        Counter.builder()
            .name("felix_cache_watch_changes_total")
            .help("Snapshot entries and changes sent to cache watches")
            .register(registry);
  }

  /** The log of a durable cache (zero for memory caches, which have none). */
  private static void durableLog(ScrapedMetrics<CacheInfo> perCache) {
    perCache.gauge(
        "felix_cache_log_bytes",
        "Bytes of a durable cache's log (current generation)",
        info -> info.log() == null ? 0 : info.log().logBytes());
    perCache.gauge(
        "felix_cache_log_live_bytes",
        "Bytes of a durable cache's log that compaction would keep",
        info -> info.log() == null ? 0 : info.log().liveBytes());
    perCache.gauge(
        "felix_cache_log_queued_bytes",
        "Changes of a durable cache waiting to be written to its log",
        CacheInfo::logQueuedBytes);
    perCache.counter(
        "felix_cache_log_compactions_total",
        "Compactions of a durable cache's log",
        info -> info.log() == null ? 0 : info.log().compactions());
    perCache.gauge(
        "felix_cache_log_replayed_records",
        "Log records a durable cache replayed when the broker started",
        info -> info.log() == null ? 0 : info.log().replayedRecords());
    perCache.counter(
        "felix_cache_log_errors_total",
        "Failed appends, compactions and file operations of a durable cache's log",
        CacheInfo::logErrors);
  }

  void watchChangesSent(int count) {
    watchChanges.inc(count);
  }

  void observe(String operation, long nanos) {
    operationLatency.labelValues(operation).observe(nanos / 1e9);
  }

  private static String[] labels(CacheInfo info) {
    return new String[] {info.cache().tenant(), info.cache().namespace(), info.cache().cache()};
  }
}
