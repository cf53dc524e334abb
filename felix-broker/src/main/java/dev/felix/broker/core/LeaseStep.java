package dev.felix.broker.core;

import dev.felix.broker.SharedEvents;
import dev.felix.error.FelixException;
import dev.felix.wire.message.PublishAck;
import dev.felix.wire.message.RecordData;
import java.util.concurrent.CompletionStage;

/**
 * One lease step's work on one shard of a {@link ConsumerGroup}: dead letters first, then
 * redeliveries, then new records from the group's next offset, each leased to the next member with
 * allowance (round robin) and handed to {@link PositionRecorder#deliver}, which sends it through
 * the member's subscription (a durable group's once the journal has the lease). Every method runs
 * with the group's lock held and takes the shard's lock only to read the log; each returns the
 * budget of records left for the step.
 *
 * <p>Threading: called only by the group's step, under the group's lock; holds no state of its own.
 */
final class LeaseStep {
  private final ConsumerGroup group;
  private final Stream stream;
  private final DeadLetters deadLetters;
  private final DeadLetterOutcomes outcomes;
  private final GroupCounters counters;

  LeaseStep(
      ConsumerGroup group,
      Stream stream,
      DeadLetters deadLetters,
      DeadLetterOutcomes outcomes,
      GroupCounters counters) {
    this.group = group;
    this.stream = stream;
    this.deadLetters = deadLetters;
    this.outcomes = outcomes;
    this.counters = counters;
  }

  int leaseNew(GroupShard state, int budget, long deadline) {
    Shard shard = stream.shard(state.shard);
    while (budget > 0) {
      GroupMember member = group.pickLocked(state.shard);
      if (member == null) {
        return budget;
      }
      SharedEvents events;
      shard.lock();
      try {
        if (shard.isClosed()) {
          return budget;
        }
        long lost = state.skipLost(shard.logLocked().startOffset());
        if (lost > 0) {
          counters.addLostRecords(lost);
          group.recorder().skipped(state);
        }
        if (state.next() >= shard.flushedEndLocked()) {
          return budget;
        }
        int room = state.windowRoom();
        if (room == 0) {
          counters.addWindowFull(1);
          return budget;
        }
        events =
            shard.readForGroupLocked(
                state.next(), Math.min(Math.min(member.allowance, room), budget));
      } finally {
        shard.unlock();
      }
      int count = events.recordCount();
      state.leaseNew(member.memberId, count, deadline);
      group.recorder().leased(state);
      member.leased(count);
      budget -= count;
      group.recorder().deliver(member, events);
    }
    return budget;
  }

  int redeliver(GroupShard state, int budget, long deadline) {
    Shard shard = stream.shard(state.shard);
    while (budget > 0 && state.hasReady()) {
      GroupMember member = group.pickLocked(state.shard);
      if (member == null) {
        return budget;
      }
      GroupShard.Entry entry = state.pollReady();
      if (entry.deliveries >= group.settings().maxDeliveries()) {
        state.deadLetterInstead(entry); // max-deliveries was lowered while it waited
        group.scheduleStep(); // this step has served dead letters already
        continue;
      }
      SharedEvents events = null;
      shard.lock();
      try {
        if (shard.isClosed()) {
          return budget;
        }
        if (entry.offset < shard.logLocked().startOffset()) {
          state.markDone(entry); // evicted from a memory log while waiting: lost
          counters.addLostRecords(1);
        } else {
          events = shard.readForGroupLocked(entry.offset, 1);
        }
      } finally {
        shard.unlock();
      }
      if (events == null) {
        group.recorder().done(state, entry.offset);
        continue;
      }
      state.leaseAgain(entry, member.memberId, deadline);
      member.leased(1);
      counters.addRedeliveries(1);
      budget--;
      group.recorder().deliver(member, events);
    }
    return budget;
  }

  int deadLetters(GroupShard state, int budget) {
    Shard shard = stream.shard(state.shard);
    GroupShard.Entry entry;
    while (budget > 0 && (entry = state.pollDeadPending()) != null) {
      budget--;
      RecordData record = null;
      shard.lock();
      try {
        if (shard.isClosed()) {
          return budget;
        }
        if (entry.offset < shard.logLocked().startOffset()) {
          state.markDone(entry);
          counters.addLostRecords(1);
        } else {
          record = shard.readRecordLocked(entry.offset);
        }
      } finally {
        shard.unlock();
      }
      if (record == null) {
        group.recorder().done(state, entry.offset);
        continue;
      }
      CompletionStage<PublishAck> appended;
      try {
        appended =
            deadLetters.publish(
                stream,
                group.deadLetterStream(),
                group.name(),
                state.shard,
                entry.offset,
                entry.deliveries,
                record);
      } catch (FelixException e) {
        outcomes.logFailureLocked(e);
        appended = null;
      }
      GroupShard.Entry moved = entry;
      if (appended == null) {
        outcomes.retryLater(state, moved);
      } else {
        var unused = appended.whenComplete((ack, failure) -> outcomes.done(state, moved, failure));
      }
    }
    return budget;
  }
}
