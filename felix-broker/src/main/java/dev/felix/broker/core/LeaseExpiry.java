package dev.felix.broker.core;

import dev.felix.broker.time.Cancellable;

/**
 * Lease expiry of one {@link ConsumerGroup}: one timer at the earliest lease deadline of its
 * shards; when it fires, every expired lease is released as by a nack without delay (counted in
 * {@code expiredLeases}), and the timer is armed for the next deadline.
 *
 * <p>Threading: the timer fields are guarded by the group's lock, like the shards it reads.
 */
final class LeaseExpiry {
  private final ConsumerGroup group;
  private final GroupShard[] shards;
  private final GroupMembers members;
  private final GroupCounters counters;
  private final BrokerContext context;
  private Cancellable timer;
  private long dueNanos = Long.MAX_VALUE;

  LeaseExpiry(
      ConsumerGroup group,
      GroupShard[] shards,
      GroupMembers members,
      GroupCounters counters,
      BrokerContext context) {
    this.group = group;
    this.shards = shards;
    this.members = members;
    this.counters = counters;
    this.context = context;
  }

  /** Arms the timer for the earliest deadline unless it is armed for that or earlier. */
  void armLocked() {
    long first = Long.MAX_VALUE;
    for (GroupShard shard : shards) {
      first = Math.min(first, shard.firstDeadlineNanos());
    }
    if (first == Long.MAX_VALUE || (timer != null && dueNanos <= first)) {
      return;
    }
    if (timer != null) {
      timer.cancel();
    }
    dueNanos = first;
    timer = context.scheduler().schedule(first - context.clock().nanoTime(), this::expireDue);
  }

  void cancelLocked() {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
  }

  private void expireDue() {
    group.lock().lock();
    try {
      timer = null;
      dueNanos = Long.MAX_VALUE;
      if (group.isClosed()) {
        return;
      }
      long now = context.clock().nanoTime();
      int maxDeliveries = group.settings().maxDeliveries();
      for (GroupShard shard : shards) {
        GroupShard.Entry entry;
        while ((entry = shard.firstExpired(now)) != null) {
          GroupMember holder = members.byId(entry.member);
          if (holder != null) {
            holder.returned();
          }
          shard.release(entry, false, maxDeliveries);
          counters.addExpiredLeases(1);
        }
      }
      armLocked();
    } finally {
      group.lock().unlock();
    }
    group.scheduleStep();
  }
}
