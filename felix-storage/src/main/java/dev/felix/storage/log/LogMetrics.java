package dev.felix.storage.log;

/**
 * Counters and gauges of one log, cheap to read from any thread (each is a single volatile read;
 * values read together may come from slightly different moments). The server exports them with the
 * names given here.
 */
public interface LogMetrics {
  /** Gauge {@code felix_log_records}: records retained now. */
  long retainedRecords();

  /** Gauge {@code felix_log_bytes}: encoded bytes of the retained records (payload and framing). */
  long retainedBytes();

  /** Counter {@code felix_log_appended_records_total}. */
  long appendedRecords();

  /** Counter {@code felix_log_appended_bytes_total}. */
  long appendedBytes();

  /** Counter {@code felix_log_evicted_records_total}: records removed to respect the bounds. */
  long evictedRecords();

  /** Counter {@code felix_log_evicted_bytes_total}. */
  long evictedBytes();

  /** Gauge {@code felix_log_start_offset}: oldest retained offset. */
  long startOffset();

  /** Gauge {@code felix_log_end_offset}: next offset to assign. */
  long endOffset();
}
