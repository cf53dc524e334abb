package dev.felix.broker;

import dev.felix.wire.message.StreamRef;
import java.util.List;

/**
 * A consumer group's position and counters, for admin, CLI and metrics. A snapshot.
 *
 * @param stream the stream the group consumes
 * @param group the group's name
 * @param members gauge: members joined now
 * @param durablePosition whether the committed positions are kept on disk (durable streams with a
 *     data directory); otherwise they live as long as the broker process
 * @param shards per shard: positions and lag
 * @param inFlight gauge {@code felix_queue_in_flight}: records leased now
 * @param awaitingJournal gauge {@code felix_queue_awaiting_journal_records}: leased records of a
 *     durable stream held until the ack journal has their lease (counted in {@code inFlight} too;
 *     microseconds with a healthy disk, so a lasting value means a slow or failing journal)
 * @param acks counter {@code felix_queue_acks_total}
 * @param nacks counter {@code felix_queue_nacks_total}
 * @param redeliveries counter {@code felix_queue_redeliveries_total}: deliveries after the first
 * @param expiredLeases counter {@code felix_queue_expired_leases_total}
 * @param deadLettered counter {@code felix_queue_dead_lettered_total}
 * @param staleAcks counter {@code felix_queue_stale_acks_total}: acks and nacks of records the
 *     member did not hold
 * @param lostRecords counter {@code felix_queue_lost_records_total}: records evicted from a memory
 *     log before the group consumed them
 * @param windowFull counter {@code felix_queue_window_full_total}: lease steps stopped by a full
 *     ack window (back-pressure)
 * @param settings the settings in force (the group's own, or the broker-wide defaults)
 */
public record GroupInfo(
    StreamRef stream,
    String group,
    int members,
    boolean durablePosition,
    List<ShardPosition> shards,
    long inFlight,
    long awaitingJournal,
    long acks,
    long nacks,
    long redeliveries,
    long expiredLeases,
    long deadLettered,
    long staleAcks,
    long lostRecords,
    long windowFull,
    GroupSettings settings) {
  public GroupInfo {
    shards = List.copyOf(shards);
  }

  /** Gauge {@code felix_queue_lag_records}: records appended but not yet committed. */
  public long lag() {
    long lag = 0;
    for (ShardPosition shard : shards) {
      lag += shard.lag();
    }
    return lag;
  }

  /**
   * One shard of a group.
   *
   * @param shard index
   * @param committed every record below it is acked, dead-lettered or lost
   * @param next the first record never leased
   * @param end the shard's log end
   */
  public record ShardPosition(int shard, long committed, long next, long end) {
    public long lag() {
      return Math.max(0, end - committed);
    }
  }
}
