package dev.felix.storage.cache;

/**
 * Counters and gauges of one durable cache's log, readable from any thread (single volatile reads,
 * written by the log's owner only). The server exports them with the names given here.
 */
public final class CacheLogMetrics {
  volatile long logBytes;
  volatile long liveBytes;
  volatile long compactions;
  volatile long replayedRecords;
  volatile long restoredEntries;
  volatile long errors;

  /** Gauge {@code felix_cache_log_bytes}: bytes of the log's current generation. */
  public long logBytes() {
    return logBytes;
  }

  /** Gauge {@code felix_cache_log_live_bytes}: what a compaction would keep. */
  public long liveBytes() {
    return liveBytes;
  }

  /** Counter {@code felix_cache_log_compactions_total}. */
  public long compactions() {
    return compactions;
  }

  /** Gauge {@code felix_cache_log_replayed_records}: records read at the last open. */
  public long replayedRecords() {
    return replayedRecords;
  }

  /** Gauge {@code felix_cache_log_restored_entries}: live entries the last open found. */
  public long restoredEntries() {
    return restoredEntries;
  }

  /** Counter {@code felix_cache_log_errors_total}: failed appends and compactions. */
  public long errors() {
    return errors;
  }
}
