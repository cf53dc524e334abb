package dev.felix.broker.core;

import dev.felix.broker.SharedEvents;

/**
 * Catch-up of a lagging cursor: one step reads backlog from the shard's log while the
 * subscription's send queue has room, up to {@code catchUpBytesPerStep}, and turns the cursor live
 * when it reaches the shard's fan-out point. Steps run on scheduler threads, so a subscriber
 * replaying a long backlog never holds a shard's lock for long, and a durable log's disk reads
 * never run on a transport thread.
 *
 * <p>If the log evicted records the cursor had not read, the cursor jumps to the retained start and
 * the subscription reports the gap (a drop notice, or a {@code SLOW_CONSUMER} disconnect under that
 * policy). Under {@code block} this cannot happen: publishers are held back instead.
 *
 * <p>Threading: a step runs under the shard's lock; {@link ShardCursor#stepScheduled} keeps at most
 * one step queued per cursor.
 */
final class CatchUp {
  private CatchUp() {}

  static void step(ShardCursor cursor) {
    Shard shard = cursor.shard;
    BrokerSubscription subscription = cursor.subscription;
    boolean advanced = false;
    shard.lock();
    try {
      long budget = shard.catchUpBytesPerStep();
      while (!shard.isClosed() && !subscription.isClosed() && !cursor.live) {
        long first = shard.logLocked().startOffset();
        if (cursor.nextOffset < first) {
          long lost = first - cursor.nextOffset;
          cursor.nextOffset = first;
          advanced = true;
          subscription.onGap(shard.index(), lost, first);
        } else if (cursor.nextOffset == shard.flushedEndLocked()) {
          cursor.live = true;
        } else if (subscription.hasRoom() && budget > 0) {
          SharedEvents events = shard.readBacklogLocked(cursor.nextOffset);
          cursor.nextOffset = events.nextOffset();
          advanced = true;
          budget -= events.frameLength();
          subscription.offerCatchUp(events);
        } else {
          break;
        }
      }
    } finally {
      shard.unlock();
    }
    if (advanced) {
      shard.wakeBlockedPublishers(); // the cursor no longer pins what it has read
    }
    // Clear the flag, then re-check: a drain that made room meanwhile either saw the flag clear
    // and scheduled a step itself, or is seen here. No wake-up is lost; duplicates are absorbed.
    cursor.stepScheduled.set(false);
    if (!cursor.live && !subscription.isClosed() && subscription.hasRoom() && !shard.isClosed()) {
      shard.scheduleCatchUp(cursor);
    }
  }
}
