package dev.felix.broker;

import dev.felix.storage.durable.DurableLogConfig;
import java.util.Objects;

/**
 * Where a stream's shards keep their records: in memory (bounded, lost on restart, the stream's
 * back-pressure policy applies to slow subscribers) or durable (segment files under the data
 * directory with the given fsync policy and retention; slow subscribers fall back to reading the
 * log, so nothing is dropped). Chosen at creation, never changed.
 *
 * @param durable true for segment files
 * @param log settings of each shard's durable log (ignored for memory streams)
 */
public record StreamStorage(boolean durable, DurableLogConfig log) {
  public static final StreamStorage MEMORY = new StreamStorage(false, DurableLogConfig.DEFAULTS);

  public StreamStorage {
    Objects.requireNonNull(log, "log");
  }

  public static StreamStorage durable(DurableLogConfig log) {
    return new StreamStorage(true, log);
  }

  @Override
  public String toString() {
    return durable
        ? "durable[fsync="
            + log.fsyncPolicy()
            + (log.fsyncPolicy() == dev.felix.storage.durable.FsyncPolicy.INTERVAL
                ? "/" + log.fsyncIntervalMs() + "ms"
                : "")
            + ", segmentBytes="
            + log.segmentBytes()
            + ", retentionMs="
            + log.retentionMs()
            + ", retentionBytes="
            + log.retentionBytes()
            + "]"
        : "memory";
  }
}
