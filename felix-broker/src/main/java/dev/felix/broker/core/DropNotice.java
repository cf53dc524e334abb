package dev.felix.broker.core;

import dev.felix.wire.message.EventsDropped;

/**
 * A pending {@code EventsDropped} notice in a {@link SendQueue}. Mutable so that consecutive drops
 * of one shard merge into one notice instead of growing the queue: the count adds up and {@code
 * nextOffset} moves to the later drop's end. Guarded by the owning subscription's lock.
 */
final class DropNotice {
  final int shard;
  long droppedCount;
  long nextOffset;

  DropNotice(int shard, long droppedCount, long nextOffset) {
    this.shard = shard;
    this.droppedCount = droppedCount;
    this.nextOffset = nextOffset;
  }

  /** Adds a later drop of the same shard. */
  void merge(long count, long next) {
    droppedCount += count;
    nextOffset = next;
  }

  EventsDropped toMessage(int subscriptionId) {
    return new EventsDropped(subscriptionId, shard, droppedCount, nextOffset);
  }
}
