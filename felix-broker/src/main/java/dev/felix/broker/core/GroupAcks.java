package dev.felix.broker.core;

import dev.felix.error.ErrorCode;
import dev.felix.error.ProtocolException;
import dev.felix.wire.message.ShardOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Acks, nacks and credit of one {@link ConsumerGroup}'s members: each takes the group's lock for
 * work bounded by the call's record count plus the committed prefix it releases (at most the
 * window), records done offsets for the ack journal without I/O, and schedules a lease step.
 *
 * <p>Threading: called on the members' event loops; all state is the group's, under its lock.
 */
final class GroupAcks {
  private final ConsumerGroup group;
  private final GroupShard[] shards;
  private final GroupCounters counters;
  private final PositionRecorder recorder;
  private final BrokerContext context;

  GroupAcks(
      ConsumerGroup group,
      GroupShard[] shards,
      GroupCounters counters,
      PositionRecorder recorder,
      BrokerContext context) {
    this.group = group;
    this.shards = shards;
    this.counters = counters;
    this.recorder = recorder;
    this.context = context;
  }

  /** Acks: each ends its lease (or finishes a waiting record); others are counted as stale. */
  void ack(GroupMember member, List<ShardOffset> records) {
    requireShards(records);
    int heldBack = 0;
    group.lock().lock();
    try {
      for (ShardOffset record : records) {
        GroupShard shard = shards[record.shard()];
        int holder = shard.ack(member.memberId, record.offset());
        if (holder < 0) {
          counters.addStaleAcks(1);
          continue;
        }
        if (holder == member.memberId && recorder.durable()) {
          member.leaseEnded();
          heldBack++;
        } else if (holder == member.memberId) {
          member.returned();
        }
        counters.addAcks(1);
        recorder.done(shard, record.offset());
      }
      if (heldBack > 0) {
        recorder.returnWhenWritten(member, heldBack);
      }
    } finally {
      group.lock().unlock();
    }
    group.scheduleStep();
  }

  /** Nacks: each lease ends; the record waits for redelivery at once or after {@code delayMs}. */
  void nack(GroupMember member, long delayMs, List<ShardOffset> records) {
    requireShards(records);
    if (delayMs < 0) {
      throw new ProtocolException(ErrorCode.INVALID_ARGUMENT, "delayMs must be >= 0: " + delayMs);
    }
    List<GroupShard.Entry> delayed = new ArrayList<>();
    List<GroupShard> delayedShards = new ArrayList<>();
    group.lock().lock();
    try {
      for (ShardOffset record : records) {
        GroupShard shard = shards[record.shard()];
        GroupShard.Entry entry = shard.leasedBy(member.memberId, record.offset());
        if (entry == null) {
          counters.addStaleAcks(1);
          continue;
        }
        member.returned();
        counters.addNacks(1);
        if (shard.release(entry, delayMs > 0, group.settings().maxDeliveries())
            == GroupShard.State.DELAYED) {
          delayed.add(entry);
          delayedShards.add(shard);
        }
      }
    } finally {
      group.lock().unlock();
    }
    if (!delayed.isEmpty()) {
      var unused =
          context
              .scheduler()
              .schedule(
                  TimeUnit.MILLISECONDS.toNanos(delayMs), () -> delayOver(delayedShards, delayed));
    }
    group.scheduleStep();
  }

  private void delayOver(List<GroupShard> delayedShards, List<GroupShard.Entry> delayed) {
    group.lock().lock();
    try {
      for (int i = 0; i < delayed.size(); i++) {
        delayedShards.get(i).delayedDue(delayed.get(i));
      }
    } finally {
      group.lock().unlock();
    }
    group.scheduleStep();
  }

  /** Widens the member's allowance, capped at {@code queues.max_in_flight}. */
  void credit(GroupMember member, int credits) {
    if (credits < 1) {
      throw new ProtocolException(ErrorCode.INVALID_ARGUMENT, "credits must be >= 1: " + credits);
    }
    group.lock().lock();
    try {
      member.allowance =
          (int)
              Math.min(context.config().queues().maxInFlight(), (long) member.allowance + credits);
    } finally {
      group.lock().unlock();
    }
    group.scheduleStep();
  }

  private void requireShards(List<ShardOffset> records) {
    for (ShardOffset record : records) {
      if (record.shard() >= shards.length) {
        throw new ProtocolException(
            ErrorCode.INVALID_ARGUMENT,
            "shard "
                + record.shard()
                + " does not exist: "
                + group.stream().ref()
                + " has "
                + shards.length);
      }
    }
  }
}
