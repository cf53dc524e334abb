package dev.felix.broker;

/**
 * Settings of consumer groups (queues) for the whole broker. Visibility timeout, max deliveries,
 * dead-letter suffix and default max in flight are the defaults of groups without settings of their
 * own ({@link GroupSettings}).
 *
 * @param visibilityTimeoutMs how long a leased record stays with its member without an ack before
 *     it is redelivered to a live member
 * @param maxDeliveries deliveries of one record (first delivery included) after which a further
 *     nack or expiry moves it to the dead-letter stream instead of redelivering it
 * @param maxUnackedPerShard the ack window: most records of one shard a group holds beyond its
 *     committed position (leased, waiting for redelivery, or acked out of order). A full window
 *     stops new leases on that shard until the oldest record is acked: back-pressure, counted
 * @param defaultMaxInFlight leases a member may hold when its Subscribe says 0
 * @param maxInFlight the largest allowance a member may hold (a larger maxInFlight or Credit is
 *     capped to it), which bounds each member's send queue in records
 * @param maxGroups most consumer groups the broker holds ({@code LIMIT_EXCEEDED} past it)
 * @param positionFlushMs how often the ack journal of durable streams' groups is forced to disk and
 *     the group counters saved. Acks reach the journal (the page cache) as soon as a storage lane
 *     writes them, so a process kill redelivers only the leases in flight; a machine crash loses at
 *     most this much ack progress, which means redelivery, never loss
 * @param deadLetterSuffix appended to a stream's name to name its dead-letter stream
 */
public record QueueConfig(
    int visibilityTimeoutMs,
    int maxDeliveries,
    int maxUnackedPerShard,
    int defaultMaxInFlight,
    int maxInFlight,
    int maxGroups,
    int positionFlushMs,
    String deadLetterSuffix) {
  public static final int DEFAULT_VISIBILITY_TIMEOUT_MS = 30_000;
  public static final int DEFAULT_MAX_DELIVERIES = 5;

  /** 10,000: a few seconds of one busy shard, and at most a few MiB of lease state per shard. */
  public static final int DEFAULT_MAX_UNACKED_PER_SHARD = 10_000;

  public static final int DEFAULT_DEFAULT_MAX_IN_FLIGHT = 100;
  public static final int DEFAULT_MAX_IN_FLIGHT = 10_000;
  public static final int DEFAULT_MAX_GROUPS = 1024;
  public static final int DEFAULT_POSITION_FLUSH_MS = 1_000;
  public static final String DEFAULT_DEAD_LETTER_SUFFIX = ".dlq";

  public static final QueueConfig DEFAULTS =
      new QueueConfig(
          DEFAULT_VISIBILITY_TIMEOUT_MS,
          DEFAULT_MAX_DELIVERIES,
          DEFAULT_MAX_UNACKED_PER_SHARD,
          DEFAULT_DEFAULT_MAX_IN_FLIGHT,
          DEFAULT_MAX_IN_FLIGHT,
          DEFAULT_MAX_GROUPS,
          DEFAULT_POSITION_FLUSH_MS,
          DEFAULT_DEAD_LETTER_SUFFIX);

  public QueueConfig {
    require("visibilityTimeoutMs", visibilityTimeoutMs, 1);
    require("maxDeliveries", maxDeliveries, 1);
    require("maxUnackedPerShard", maxUnackedPerShard, 1);
    require("defaultMaxInFlight", defaultMaxInFlight, 1);
    require("maxInFlight", maxInFlight, defaultMaxInFlight);
    require("maxGroups", maxGroups, 1);
    require("positionFlushMs", positionFlushMs, 1);
    if (deadLetterSuffix == null
        || deadLetterSuffix.isEmpty()
        || !dev.felix.wire.Names.isValid("x" + deadLetterSuffix)) {
      throw new IllegalArgumentException(
          "queues deadLetterSuffix must be name characters [A-Za-z0-9._-], was "
              + deadLetterSuffix);
    }
  }

  private static void require(String name, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(
          "queues " + name + " must be >= " + min + ", was " + value);
    }
  }

  public QueueConfig withVisibilityTimeoutMs(int value) {
    return new QueueConfig(
        value,
        maxDeliveries,
        maxUnackedPerShard,
        defaultMaxInFlight,
        maxInFlight,
        maxGroups,
        positionFlushMs,
        deadLetterSuffix);
  }

  public QueueConfig withMaxDeliveries(int value) {
    return new QueueConfig(
        visibilityTimeoutMs,
        value,
        maxUnackedPerShard,
        defaultMaxInFlight,
        maxInFlight,
        maxGroups,
        positionFlushMs,
        deadLetterSuffix);
  }

  public QueueConfig withMaxUnackedPerShard(int value) {
    return new QueueConfig(
        visibilityTimeoutMs,
        maxDeliveries,
        value,
        defaultMaxInFlight,
        maxInFlight,
        maxGroups,
        positionFlushMs,
        deadLetterSuffix);
  }
}
