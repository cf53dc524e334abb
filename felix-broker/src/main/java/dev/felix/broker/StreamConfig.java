package dev.felix.broker;

import dev.felix.storage.log.MemoryLogConfig;
import java.util.Objects;

/**
 * Settings of one stream, fixed at creation. Streams auto-created on first publish use {@link
 * BrokerConfig#defaultStream()}.
 *
 * @param shards number of shards (each an independent log with its own offsets), 1..{@value
 *     #MAX_SHARDS}
 * @param log bounds of each shard's memory log
 * @param policy what happens when a subscription's send queue is full
 * @param sendQueueBytes bound of each subscription's send queue, in encoded frame bytes
 * @param batching broker-side batching of live events
 * @param storage memory or durable; for durable streams {@code log} is unused and {@code policy}
 *     does not apply to slow subscribers (they read the log instead, see docs/broker.md)
 */
public record StreamConfig(
    int shards,
    MemoryLogConfig log,
    BackPressurePolicy policy,
    int sendQueueBytes,
    BatchingConfig batching,
    StreamStorage storage) {
  public static final int MAX_SHARDS = 1024;
  public static final int DEFAULT_SHARDS = 1;

  /** Lossless by default: a quick start never loses a message silently. */
  public static final BackPressurePolicy DEFAULT_POLICY = BackPressurePolicy.BLOCK;

  /** 1 MiB: a few batches in flight per subscription, bounded even with thousands of them. */
  public static final int DEFAULT_SEND_QUEUE_BYTES = 1024 * 1024;

  public static final StreamConfig DEFAULTS =
      new StreamConfig(
          DEFAULT_SHARDS,
          MemoryLogConfig.DEFAULTS,
          DEFAULT_POLICY,
          DEFAULT_SEND_QUEUE_BYTES,
          BatchingConfig.DEFAULTS,
          StreamStorage.MEMORY);

  public StreamConfig {
    Objects.requireNonNull(log, "log");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(batching, "batching");
    Objects.requireNonNull(storage, "storage");
    if (shards < 1 || shards > MAX_SHARDS) {
      throw new IllegalArgumentException(
          "stream shards must be 1.." + MAX_SHARDS + ", was " + shards);
    }
    if (sendQueueBytes < 1) {
      throw new IllegalArgumentException("sendQueueBytes must be >= 1, was " + sendQueueBytes);
    }
  }

  /** A memory stream (the settings of the first issues). */
  public StreamConfig(
      int shards,
      MemoryLogConfig log,
      BackPressurePolicy policy,
      int sendQueueBytes,
      BatchingConfig batching) {
    this(shards, log, policy, sendQueueBytes, batching, StreamStorage.MEMORY);
  }

  public boolean durable() {
    return storage.durable();
  }

  public StreamConfig withStorage(StreamStorage value) {
    return new StreamConfig(shards, log, policy, sendQueueBytes, batching, value);
  }

  public StreamConfig withShards(int value) {
    return new StreamConfig(value, log, policy, sendQueueBytes, batching, storage);
  }

  public StreamConfig withLog(MemoryLogConfig value) {
    return new StreamConfig(shards, value, policy, sendQueueBytes, batching, storage);
  }

  public StreamConfig withPolicy(BackPressurePolicy value) {
    return new StreamConfig(shards, log, value, sendQueueBytes, batching, storage);
  }

  public StreamConfig withSendQueueBytes(int value) {
    return new StreamConfig(shards, log, policy, value, batching, storage);
  }

  public StreamConfig withBatching(BatchingConfig value) {
    return new StreamConfig(shards, log, policy, sendQueueBytes, value, storage);
  }
}
