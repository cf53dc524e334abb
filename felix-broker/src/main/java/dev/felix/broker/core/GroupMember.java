package dev.felix.broker.core;

import dev.felix.broker.QueueSubscription;
import dev.felix.wire.message.ShardOffset;
import dev.felix.wire.message.StreamRef;
import java.util.List;

/**
 * One member of a consumer group: its subscription (the send queue and sink records are delivered
 * through) and its lease allowance.
 *
 * <p>Threading: {@code allowance} and {@code inFlight} are written under the group's lock; {@code
 * inFlight} is volatile for gauges. The subscription guards itself.
 */
final class GroupMember implements QueueSubscription {
  final int memberId;
  final int shardFilter;
  final BrokerSubscription subscription;
  private final ConsumerGroup group;

  /** Leases this member may still take; comes back with each ack, nack or expiry. */
  int allowance;

  private volatile int inFlight;

  GroupMember(
      int memberId,
      int shardFilter,
      int allowance,
      BrokerSubscription subscription,
      ConsumerGroup group) {
    this.memberId = memberId;
    this.shardFilter = shardFilter;
    this.allowance = allowance;
    this.subscription = subscription;
    this.group = group;
  }

  boolean takes(int shard) {
    return allowance > 0 && (shardFilter < 0 || shardFilter == shard) && !subscription.isClosed();
  }

  /** Lease count changes; caller holds the group's lock. */
  void leased(int count) {
    allowance -= count;
    int leased = inFlight;
    inFlight = leased + count;
  }

  /** A lease ended (ack, nack, expiry): the allowance comes back; caller holds the group's lock. */
  void returned() {
    allowance++;
    leaseEnded();
  }

  /**
   * An acked lease ended, its allowance held back until the ack is written to the ack journal
   * (durable groups: so a kill redelivers at most the allowance); caller holds the group's lock.
   */
  void leaseEnded() {
    int leased = inFlight;
    inFlight = leased - 1;
  }

  /** Allowance held back by {@link #leaseEnded()} comes back; caller holds the group's lock. */
  void allowanceBack(int count) {
    allowance += count;
  }

  @Override
  public String group() {
    return group.name();
  }

  @Override
  public void ack(List<ShardOffset> records) {
    group.ack(this, records);
  }

  @Override
  public void nack(long delayMs, List<ShardOffset> records) {
    group.nack(this, delayMs, records);
  }

  @Override
  public void credit(int credits) {
    group.credit(this, credits);
  }

  @Override
  public int inFlight() {
    return inFlight;
  }

  @Override
  public int id() {
    return subscription.id();
  }

  @Override
  public StreamRef stream() {
    return subscription.stream();
  }

  @Override
  public List<ShardOffset> startOffsets() {
    return subscription.startOffsets();
  }

  @Override
  public void onWritable() {
    subscription.onWritable();
  }

  /** Leaves the group; the leases go back (on a scheduler thread, see BrokerSubscription#onEnd). */
  @Override
  public void close() {
    subscription.close();
  }

  @Override
  public boolean isClosed() {
    return subscription.isClosed();
  }

  @Override
  public long queuedBytes() {
    return subscription.queuedBytes();
  }

  @Override
  public long deliveredBatches() {
    return subscription.deliveredBatches();
  }

  @Override
  public long deliveredRecords() {
    return subscription.deliveredRecords();
  }

  @Override
  public long droppedRecords() {
    return subscription.droppedRecords();
  }

  @Override
  public String toString() {
    return "GroupMember[" + memberId + " of " + group + "]";
  }
}
