package dev.felix.client.internal;

import dev.felix.wire.message.EventBatch;
import dev.felix.wire.message.RecordCursor;
import dev.felix.wire.message.ShardOffset;
import dev.felix.wire.message.StartPosition;
import dev.felix.wire.message.Subscribed;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where a subscription stands in each shard: the offset of the next record it expects (one past the
 * last received, or where the broker said it would start), and which shards have a resume in
 * flight. This is what makes a resume exact: after a reconnect each shard is subscribed again from
 * its next offset, and records below it are skipped as duplicates.
 *
 * <p><b>Threads:</b> not thread-safe; guarded by its {@link SubscriptionImpl}'s lock.
 */
final class ShardPositions {
  /** No batch record is new: all are below the next offset. */
  static final long DUPLICATE = Long.MIN_VALUE;

  /**
   * A shard to subscribe again, and from where.
   *
   * @param shard the shard, or -1 for the whole stream
   * @param start where to start
   */
  record Target(int shard, StartPosition start) {}

  /**
   * A resumed shard that did not continue where it left off.
   *
   * @param shard the shard
   * @param expected the offset asked for
   * @param resumed the offset the broker starts from
   */
  record Gap(int shard, long expected, long resumed) {}

  private final Map<Integer, Long> next = new TreeMap<>();
  private final Set<Integer> resuming = new HashSet<>();

  /**
   * Takes the broker's start offsets from Subscribed (the broker decides, also when its log
   * restarted); for a resume, returns where they differ from what was expected.
   */
  List<Gap> onSubscribed(Subscribed subscribed, int shard, boolean resume) {
    resuming.remove(shard);
    List<Gap> gaps = new ArrayList<>();
    for (ShardOffset start : subscribed.startOffsets()) {
      Long expected = next.put(start.shard(), start.offset());
      if (resume && expected != null && expected != start.offset()) {
        gaps.add(new Gap(start.shard(), expected, start.offset()));
      }
    }
    return gaps;
  }

  /**
   * Admits a batch: advances the shard's next offset past its last record and returns the offset
   * below which its records are duplicates (-1: none), or {@link #DUPLICATE} when all are.
   */
  long admit(EventBatch batch) {
    long floor = next.getOrDefault(batch.shard(), -1L);
    long last = lastOffset(batch);
    if (last < floor) {
      return DUPLICATE;
    }
    next.put(batch.shard(), last + 1);
    return floor;
  }

  private static long lastOffset(EventBatch batch) {
    RecordCursor cursor = batch.records().cursor();
    int lastDelta = 0;
    while (cursor.next()) {
      lastDelta = cursor.offsetDelta();
    }
    return batch.baseOffset() + lastDelta;
  }

  /** The broker skipped records up to {@code nextOffset} (EventsDropped). */
  void onDropped(int shard, long nextOffset) {
    next.merge(shard, nextOffset, Math::max);
  }

  /**
   * What to subscribe on a connection where the shards in {@code covered} are live: the chosen
   * shard; else every shard the broker has named, one Subscribe each (a start offset applies to one
   * shard); else, when none was named yet, the whole stream from the original start. Marks the
   * returned shards as resuming, so that a second resume does not duplicate them.
   */
  List<Target> plan(int chosenShard, StartPosition original, Set<Integer> covered) {
    if (covered.contains(-1)) {
      return List.of();
    }
    List<Integer> shards;
    if (chosenShard >= 0) {
      shards = List.of(chosenShard);
    } else if (next.isEmpty()) {
      shards = List.of(-1);
    } else {
      shards = new ArrayList<>(next.keySet());
    }
    List<Target> targets = new ArrayList<>();
    for (int shard : shards) {
      if (covered.contains(shard) || !resuming.add(shard)) {
        continue;
      }
      Long offset = shard < 0 ? null : next.get(shard);
      targets.add(new Target(shard, offset == null ? original : StartPosition.offset(offset)));
    }
    return targets;
  }

  /** True when the broker named a start for {@code shard} (-1: for any shard). */
  boolean known(int shard) {
    return shard < 0 ? !next.isEmpty() : next.containsKey(shard);
  }

  /** A Subscribe for {@code shard} is in flight outside {@link #plan}. */
  void markResuming(int shard) {
    resuming.add(shard);
  }

  /** The Subscribe for {@code shard} failed. */
  void resumeFailed(int shard) {
    resuming.remove(shard);
  }

  Map<Integer, Long> snapshot() {
    return Collections.unmodifiableMap(new TreeMap<>(next));
  }
}
