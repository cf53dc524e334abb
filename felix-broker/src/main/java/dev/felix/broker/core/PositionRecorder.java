package dev.felix.broker.core;

import java.util.ArrayDeque;
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

  /** An ack's allowance held back until the journal has the ack (its position's sequence). */
  private record HeldBack(GroupMember member, int count, long sequence) {}

  /**
   * Held-back allowances in sequence order. Bounded by the members' allowances: a member gets no
   * new lease for what is held here.
   */
  private final ArrayDeque<HeldBack> heldBack = new ArrayDeque<>();

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
    heldBack.add(new HeldBack(member, count, positions.sequence()));
    waitForHead();
  }

  /** Returns the allowances the journal has written by now; true when any came back. */
  boolean returnWritten() {
    waiting = false;
    long done = positions.written();
    boolean any = false;
    HeldBack head;
    while ((head = heldBack.peek()) != null && head.sequence() <= done) {
      heldBack.poll();
      head.member().allowanceBack(head.count());
      any = true;
    }
    waitForHead();
    return any;
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
