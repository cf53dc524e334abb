package dev.felix.broker.core;

import dev.felix.broker.SharedEvents;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One consumer group's link to {@link GroupPositions}: turns its state changes into journal changes
 * (keyed by the ids of its shard keys and its counters key), and hands it what the previous broker
 * stored. A group of a memory stream has a recorder without positions, which records nothing.
 *
 * <p>Threading: called under the group's lock only.
 */
final class PositionRecorder {
  private final GroupPositions positions;
  private final String[] shardKeys;
  private final int[] shardIds;
  private final long[] recordedNext;
  private final long[] recordedCommitted;
  private final String countersKey;
  private final int countersId;
  private long[] recordedCounters = new long[0];

  /**
   * What waits for the journal to have every change recorded before it ({@code sequence}): an ack's
   * allowance ({@code records} null), or records leased to {@code member}, which leave the broker
   * only once their lease (and, for redeliveries, the raised counter) is written, so a broker
   * killed after they left makes the next one deliver them again as counted redeliveries.
   */
  private record HeldBack(GroupMember member, int allowance, SharedEvents records, long sequence) {
    /** True when it gave allowance back (which may let the group lease more). */
    boolean release() {
      if (records != null) {
        member.subscription.offerCatchUp(records);
        return false;
      }
      member.allowanceBack(allowance);
      return true;
    }
  }

  /**
   * Held back in sequence order. Bounded by the members' allowances: a member gets no new lease for
   * an allowance held here, and records held here were leased against its allowance.
   */
  private final ArrayDeque<HeldBack> heldBack = new ArrayDeque<>();

  /** Records leased by the running lease step; held back with its journal changes at its end. */
  private final ArrayList<HeldBack> leasedInStep = new ArrayList<>();

  /** Records in {@link #leasedInStep} and {@link #heldBack} (gauge). */
  private int recordsAwaitingJournal;

  private final Runnable written;
  private boolean waiting;

  /**
   * @param positions null: a memory stream's group, whose positions live in memory only
   */
  PositionRecorder(
      GroupPositions positions, ConsumerGroup.Key group, int shards, Runnable written) {
    this.positions = positions;
    this.written = written;
    this.shardKeys = new String[shards];
    this.shardIds = new int[shards];
    this.recordedNext = new long[shards];
    this.recordedCommitted = new long[shards];
    this.countersKey = GroupPositions.groupKey(group);
    for (int s = 0; s < shards; s++) {
      shardKeys[s] = GroupPositions.key(group, s);
      shardIds[s] = positions == null ? 0 : positions.id(shardKeys[s]);
    }
    this.countersId = positions == null ? 0 : positions.id(countersKey);
  }

  boolean durable() {
    return positions != null;
  }

  /** What the previous broker stored for {@code shard}, or null. */
  PositionView.Restored restored(int shard) {
    return positions == null ? null : positions.takeRestored(shardKeys[shard]);
  }

  /** The counters the previous broker stored, or null. */
  long[] restoredCounters() {
    return positions == null ? null : positions.takeCounters(countersKey);
  }

  /** The shard starts at {@code state}'s position; {@code same}: what is stored says so already. */
  void started(GroupShard state, boolean same) {
    recordedCommitted[state.shard] = state.committed();
    recordedNext[state.shard] = state.next();
    if (positions != null && !same) {
      positions.init(shardIds[state.shard], state.committed());
      if (state.next() > state.committed()) {
        positions.next(shardIds[state.shard], state.next());
      }
    }
  }

  /** {@code offset} is done (acked, dead-lettered, lost while waiting). */
  void done(GroupShard state, long offset) {
    recordedCommitted[state.shard] = state.committed();
    if (positions != null) {
      positions.done(shardIds[state.shard], offset);
    }
  }

  /** New leases moved {@code state.next()}. */
  void leased(GroupShard state) {
    if (positions != null && recordedNext[state.shard] != state.next()) {
      recordedNext[state.shard] = state.next();
      positions.next(shardIds[state.shard], state.next());
    }
  }

  /** The committed position may have jumped past records that left the log unleased. */
  void skipped(GroupShard state) {
    if (recordedCommitted[state.shard] != state.committed()) {
      recordedCommitted[state.shard] = state.committed();
      if (positions != null) {
        positions.skip(shardIds[state.shard], state.committed());
      }
    }
  }

  /**
   * Gives {@code member} {@code count} allowance back once the journal has what was recorded so far
   * (the acks just recorded): until then those leases count as in flight, so a process kill
   * redelivers at most a member's allowance. {@code written} runs (on a storage lane) when due.
   */
  void returnWhenWritten(GroupMember member, int count) {
    heldBack.add(new HeldBack(member, count, null, positions.sequence()));
    waitForHead();
  }

  /**
   * Delivers records leased to {@code member}: at once for a memory stream's group; for a durable
   * one, after the lease step ends ({@link #leaseStepEnded}) and the journal has its changes.
   */
  void deliver(GroupMember member, SharedEvents records) {
    if (positions == null) {
      member.subscription.offerCatchUp(records);
    } else {
      leasedInStep.add(new HeldBack(member, 0, records, 0));
      recordsAwaitingJournal += records.recordCount();
    }
  }

  /**
   * The lease step recorded all its changes (leases, counters): its records wait for the journal to
   * have them. One wait per step, so a step's records share one journal write.
   */
  void leaseStepEnded() {
    if (leasedInStep.isEmpty()) {
      return;
    }
    long sequence = positions.sequence();
    for (HeldBack leased : leasedInStep) {
      heldBack.add(new HeldBack(leased.member(), 0, leased.records(), sequence));
    }
    leasedInStep.clear();
    waitForHead();
  }

  /**
   * Releases what the journal has written by now (allowances back, records delivered); true when
   * any allowance came back.
   */
  boolean releaseWritten() {
    waiting = false;
    long done = positions.written();
    boolean allowance = false;
    HeldBack head;
    while ((head = heldBack.peek()) != null && head.sequence() <= done) {
      heldBack.poll();
      if (head.records() != null) {
        recordsAwaitingJournal -= head.records().recordCount();
      }
      allowance |= head.release();
    }
    waitForHead();
    return allowance;
  }

  /** Leased records not sent yet because the journal does not have their lease yet. */
  int recordsAwaitingJournal() {
    return recordsAwaitingJournal;
  }

  private void waitForHead() {
    HeldBack head = heldBack.peek();
    if (head != null && !waiting) {
      waiting = true;
      positions.whenWritten(head.sequence(), written);
    }
  }

  /** The counters, when they changed since last recorded (flush tick). */
  void counters(long[] values) {
    if (positions != null && !Arrays.equals(values, recordedCounters)) {
      recordedCounters = values;
      positions.counters(countersId, values);
    }
  }

  /** Every shard's whole state (a resync after dropped changes). */
  void state(GroupShard[] shards) {
    if (positions == null) {
      return;
    }
    for (GroupShard state : shards) {
      List<long[]> runs = state.doneRuns();
      long[] flat = new long[runs.size() * 2];
      for (int i = 0; i < runs.size(); i++) {
        flat[2 * i] = runs.get(i)[0];
        flat[2 * i + 1] = runs.get(i)[1];
      }
      positions.state(shardIds[state.shard], state.committed(), state.next(), flat);
    }
    recordedCounters = new long[0];
  }

  /** Forgets everything stored for the group (its stream or the group was deleted). */
  void removeAll() {
    if (positions == null) {
      return;
    }
    for (String key : shardKeys) {
      positions.remove(key);
    }
    positions.remove(countersKey);
  }
}
