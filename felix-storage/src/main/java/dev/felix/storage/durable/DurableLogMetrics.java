package dev.felix.storage.durable;

import dev.felix.storage.log.LogMetrics;

/**
 * The {@link LogMetrics} of a {@link DurableLog} plus what only a durable log has. For a durable
 * log, {@code felix_log_bytes} ({@link #retainedBytes()}) counts segment bytes including batch
 * headers, and the "evicted" counters count records and bytes deleted by retention. Every getter is
 * one volatile read (or an atomic read), safe from any thread.
 */
public interface DurableLogMetrics extends LogMetrics {
  /** Gauge {@code felix_log_segments}. */
  int segments();

  /** Gauge {@code felix_log_disk_bytes}: segment and index files. */
  long diskBytes();

  /**
   * Gauge {@code felix_log_durable_end_offset}: every record below it is as safe as the fsync
   * policy makes it (under {@link FsyncPolicy#ALWAYS}: forced to disk).
   */
  long durableEndOffset();

  /** Counter {@code felix_log_fsyncs_total}. */
  long fsyncs();

  /** Counter {@code felix_log_fsync_seconds_total}, in nanoseconds here. */
  long fsyncNanosTotal();

  /** Gauge {@code felix_log_fsync_max_seconds}: the slowest fsync since open, in nanoseconds. */
  long fsyncNanosMax();

  /** Counter {@code felix_log_io_errors_total}: failed writes, fsyncs, index writes, deletes. */
  long ioErrors();

  /**
   * Counter {@code felix_log_index_rebuilds_total}: segment indexes rebuilt (open or lazy check).
   */
  long indexRebuilds();

  /** Gauge {@code felix_log_recovery_truncated_bytes}: bytes cut off the tail at open. */
  long recoveryTruncatedBytes();

  /** Counter {@code felix_log_rolls_total}: segments rolled. */
  long rolls();
}
