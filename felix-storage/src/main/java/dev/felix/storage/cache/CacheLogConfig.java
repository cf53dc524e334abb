package dev.felix.storage.cache;

import dev.felix.storage.durable.DurableLogConfig;
import java.util.Objects;

/**
 * Settings of one durable cache's log.
 *
 * @param log the segmented log's settings (fsync policy above all); retention must stay unlimited,
 *     since only compaction may drop a cache's records
 * @param compactMinBytes no compaction below this log size, so a small cache is not rewritten on
 *     every few writes
 * @param compactRatio compact when the log holds more than this many times the live bytes
 */
public record CacheLogConfig(DurableLogConfig log, long compactMinBytes, int compactRatio) {
  /** 4 MiB: rewriting that much takes milliseconds, and small caches never compact. */
  public static final long DEFAULT_COMPACT_MIN_BYTES = 4L * 1024 * 1024;

  /** 64 MiB segments: a cache log is rewritten whole by compaction, never tailed by readers. */
  public static final long DEFAULT_SEGMENT_BYTES = 64L * 1024 * 1024;

  public CacheLogConfig {
    Objects.requireNonNull(log, "log");
    if (log.retentionBytes() != DurableLogConfig.UNLIMITED
        || log.retentionMs() != DurableLogConfig.UNLIMITED) {
      throw new IllegalArgumentException("a cache log must not have retention (compaction only)");
    }
    if (compactMinBytes < 0) {
      throw new IllegalArgumentException("cache compactMinBytes must be >= 0");
    }
    if (compactRatio < 2) {
      throw new IllegalArgumentException("cache compactRatio must be >= 2");
    }
  }

  /** Default cache log settings with the given log settings (fsync policy). */
  public static CacheLogConfig of(DurableLogConfig log) {
    return new CacheLogConfig(log, DEFAULT_COMPACT_MIN_BYTES, 2);
  }
}
