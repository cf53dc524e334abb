package dev.felix.broker;

import java.time.Duration;
import java.util.Objects;

/**
 * Broker-side batching of live events: records appended to a shard are held until one of the bounds
 * is reached, then read back once, encoded once and fanned out as one EventBatch.
 *
 * @param maxRecords most records in one event batch
 * @param maxBytes most record bytes in one event batch (a single larger record still goes alone)
 * @param maxDelay longest a record waits for more records; {@link Duration#ZERO} (the default)
 *     sends at the end of every publish call, so each publish batch becomes its own event batch
 *     without a timer. A small delay (say 1 ms) coalesces many tiny publishes at a latency cost.
 */
public record BatchingConfig(int maxRecords, int maxBytes, Duration maxDelay) {
  public static final int DEFAULT_MAX_RECORDS = 4096;
  public static final int DEFAULT_MAX_BYTES = 256 * 1024;
  public static final Duration DEFAULT_MAX_DELAY = Duration.ZERO;

  public static final BatchingConfig DEFAULTS =
      new BatchingConfig(DEFAULT_MAX_RECORDS, DEFAULT_MAX_BYTES, DEFAULT_MAX_DELAY);

  public BatchingConfig {
    Objects.requireNonNull(maxDelay, "maxDelay");
    if (maxRecords < 1) {
      throw new IllegalArgumentException("batching maxRecords must be >= 1, was " + maxRecords);
    }
    if (maxBytes < 1) {
      throw new IllegalArgumentException("batching maxBytes must be >= 1, was " + maxBytes);
    }
    if (maxDelay.isNegative() || maxDelay.compareTo(Duration.ofSeconds(1)) > 0) {
      throw new IllegalArgumentException("batching maxDelay must be 0..1s, was " + maxDelay);
    }
  }

  public long maxDelayNanos() {
    return maxDelay.toNanos();
  }
}
