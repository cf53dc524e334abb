package dev.felix.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How publishes are coalesced into PublishBatch frames and how many may be outstanding.
 *
 * <p>Records published to the same stream, shard and ack mode share a batch. A batch is sent when
 * it reaches {@code maxBatchRecords} or {@code maxBatchBytes}, or {@code linger} after its first
 * record. With the default linger of 0 nothing waits: a synchronous {@code publish} sends at once
 * on the calling thread, a {@code publishAsync} hands the batch to the client's scheduler thread,
 * and every record published while a batch is being sent joins the next one. Batches then form by
 * themselves under load without adding latency when idle. A linger above 0 trades that latency for
 * larger batches.
 *
 * <p>The server's limits from HelloOk always win: batches never exceed its {@code
 * maxRecordsPerBatch} or {@code maxFramePayloadBytes}, and in-flight bytes never exceed its {@code
 * maxInflightPublishBytes}.
 *
 * <p><b>Back-pressure.</b> Sent but unacknowledged (ack LEADER) batches are bounded by {@code
 * maxInflightBytes}; beyond it records wait in the local queue and are sent as acks come back. The
 * local queue is bounded by {@code maxQueuedBytes}: when a record does not fit, {@code
 * publishAsync} fails at once with {@link dev.felix.error.LimitException} {@code BACKPRESSURE} and
 * a synchronous {@code publish} waits up to the request timeout for room, then fails the same way.
 *
 * @param maxBatchRecords most records per batch; default 1,000
 * @param maxBatchBytes most payload bytes per batch frame; default 1 MiB
 * @param linger how long a batch may wait for more records; default 0
 * @param maxInflightBytes unacknowledged publish bytes on the connection; default 16 MiB
 * @param maxQueuedBytes bytes of records waiting locally to be sent; default 64 MiB
 */
public record BatchingPolicy(
    int maxBatchRecords,
    int maxBatchBytes,
    Duration linger,
    long maxInflightBytes,
    long maxQueuedBytes) {

  private static final int MIB = 1024 * 1024;

  /** Default records per batch. */
  public static final int DEFAULT_MAX_BATCH_RECORDS = 1000;

  /** Default batch frame payload: 1 MiB. */
  public static final int DEFAULT_MAX_BATCH_BYTES = MIB;

  /** Default in-flight bound: 16 MiB. */
  public static final long DEFAULT_MAX_INFLIGHT_BYTES = 16L * MIB;

  /** Default local queue bound: 64 MiB. */
  public static final long DEFAULT_MAX_QUEUED_BYTES = 64L * MIB;

  /** The defaults listed on this class. */
  public static final BatchingPolicy DEFAULT =
      new BatchingPolicy(
          DEFAULT_MAX_BATCH_RECORDS,
          DEFAULT_MAX_BATCH_BYTES,
          Duration.ZERO,
          DEFAULT_MAX_INFLIGHT_BYTES,
          DEFAULT_MAX_QUEUED_BYTES);

  /**
   * Validates every field once; the messages name the field.
   *
   * @param maxBatchRecords most records per batch, at least 1
   * @param maxBatchBytes most payload bytes per batch frame, at least 1024
   * @param linger how long a batch may wait for more records, 0 to 10 s
   * @param maxInflightBytes unacknowledged publish bytes allowed, at least 1024
   * @param maxQueuedBytes bytes of records allowed to wait locally, at least 1024
   */
  public BatchingPolicy {
    Objects.requireNonNull(linger, "linger");
    if (maxBatchRecords < 1) {
      throw new IllegalArgumentException("maxBatchRecords must be >= 1: " + maxBatchRecords);
    }
    if (maxBatchBytes < 1024) {
      throw new IllegalArgumentException("maxBatchBytes must be >= 1024: " + maxBatchBytes);
    }
    if (linger.isNegative() || linger.compareTo(Duration.ofSeconds(10)) > 0) {
      throw new IllegalArgumentException("linger must be between 0 and 10 s: " + linger);
    }
    if (maxInflightBytes < 1024) {
      throw new IllegalArgumentException("maxInflightBytes must be >= 1024: " + maxInflightBytes);
    }
    if (maxQueuedBytes < 1024) {
      throw new IllegalArgumentException("maxQueuedBytes must be >= 1024: " + maxQueuedBytes);
    }
  }

  /**
   * A copy with another record limit per batch.
   *
   * @param value most records per batch
   * @return the new policy
   */
  public BatchingPolicy withMaxBatchRecords(int value) {
    return new BatchingPolicy(value, maxBatchBytes, linger, maxInflightBytes, maxQueuedBytes);
  }

  /**
   * A copy with another byte limit per batch frame.
   *
   * @param value most payload bytes per batch frame
   * @return the new policy
   */
  public BatchingPolicy withMaxBatchBytes(int value) {
    return new BatchingPolicy(maxBatchRecords, value, linger, maxInflightBytes, maxQueuedBytes);
  }

  /**
   * A copy with another linger.
   *
   * @param value how long a batch may wait for more records
   * @return the new policy
   */
  public BatchingPolicy withLinger(Duration value) {
    return new BatchingPolicy(
        maxBatchRecords, maxBatchBytes, value, maxInflightBytes, maxQueuedBytes);
  }

  /**
   * A copy with another in-flight bound.
   *
   * @param value unacknowledged publish bytes allowed
   * @return the new policy
   */
  public BatchingPolicy withMaxInflightBytes(long value) {
    return new BatchingPolicy(maxBatchRecords, maxBatchBytes, linger, value, maxQueuedBytes);
  }

  /**
   * A copy with another local queue bound.
   *
   * @param value bytes of records allowed to wait locally
   * @return the new policy
   */
  public BatchingPolicy withMaxQueuedBytes(long value) {
    return new BatchingPolicy(maxBatchRecords, maxBatchBytes, linger, maxInflightBytes, value);
  }
}
