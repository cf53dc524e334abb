package dev.felix.broker.core;

import dev.felix.broker.BackPressurePolicy;
import dev.felix.broker.SharedEvents;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * One subscription's bounded send queue: event batches (counted in frame bytes against the bound)
 * and drop notices (a few dozen bytes each, merged per shard, so they add at most one per batch
 * plus one per shard). It applies the stream's {@link BackPressurePolicy} when a live batch does
 * not fit, and keeps every notice in order with the events of its shard:
 *
 * <ul>
 *   <li>{@code drop_newest} and log-eviction gaps append a notice at the tail, merged into the
 *       shard's open tail notice if no batch of that shard came after it;
 *   <li>{@code drop_oldest} removes batches from the head and folds them into a <em>front</em>
 *       notice of their shard, which is delivered before anything still queued.
 * </ul>
 *
 * <p>A batch is always accepted into an empty queue, even when larger than the bound, so an
 * oversized batch cannot wedge a subscription.
 *
 * <p>Not thread-safe: guarded by the owning subscription's lock. {@link #bytes()} is volatile so
 * that publishers can check for room without that lock.
 */
final class SendQueue {
  /**
   * Returned by {@link #offerLive} when the policy is {@code disconnect} and the batch won't fit.
   */
  static final long OVERFLOW = -1;

  private final ArrayDeque<Object> entries = new ArrayDeque<>();
  private final DropNotice[] front;
  private final DropNotice[] openTail;
  private final long limitBytes;
  private final LongAdder totalBytes;
  private int frontCount;
  private volatile long bytes;

  /**
   * @param shards shard count of the stream (notices are kept per shard index)
   * @param limitBytes the bound
   * @param totalBytes broker-wide gauge this queue adds its bytes to
   */
  SendQueue(int shards, long limitBytes, LongAdder totalBytes) {
    this.front = new DropNotice[shards];
    this.openTail = new DropNotice[shards];
    this.limitBytes = limitBytes;
    this.totalBytes = totalBytes;
  }

  /** Single writer (the subscription's lock holder): read once, write once. */
  private void addBytes(long delta) {
    long current = bytes;
    bytes = current + delta;
    totalBytes.add(delta);
  }

  long bytes() {
    return bytes;
  }

  boolean hasRoom() {
    return bytes < limitBytes;
  }

  boolean isEmpty() {
    return frontCount == 0 && entries.isEmpty();
  }

  /**
   * Queues a live batch under {@code policy}.
   *
   * @return records dropped by the policy (0 when none), or {@link #OVERFLOW}
   */
  long offerLive(SharedEvents events, BackPressurePolicy policy) {
    int size = events.frameLength();
    if (bytes == 0 || bytes + size <= limitBytes) {
      add(events);
      return 0;
    }
    return switch (policy) {
      case BLOCK -> {
        add(events); // lossless: over the bound by this batch; publishers are held back instead
        yield 0;
      }
      case DROP_NEWEST -> {
        addGap(events.shard(), events.recordCount(), events.nextOffset());
        yield events.recordCount();
      }
      case DROP_OLDEST -> {
        long dropped = 0;
        while (bytes > 0 && bytes + size > limitBytes) {
          dropped += evictHead();
        }
        add(events);
        yield dropped;
      }
      case DISCONNECT -> OVERFLOW;
    };
  }

  /** Queues a batch regardless of the bound (catch-up reads check for room first). */
  void add(SharedEvents events) {
    entries.addLast(events);
    addBytes(events.frameLength());
    openTail[events.shard()] = null;
  }

  /** Notes {@code count} records of {@code shard} lost before {@code nextOffset}, at the tail. */
  void addGap(int shard, long count, long nextOffset) {
    DropNotice open = openTail[shard];
    if (open != null) {
      open.merge(count, nextOffset);
    } else {
      DropNotice notice = new DropNotice(shard, count, nextOffset);
      entries.addLast(notice);
      openTail[shard] = notice;
    }
  }

  /** Removes the oldest entry that is a batch (moving head notices to the front); records lost. */
  private long evictHead() {
    Object head = entries.pollFirst();
    if (head instanceof DropNotice notice) {
      if (openTail[notice.shard] == notice) {
        openTail[notice.shard] = null;
      }
      addFront(notice.shard, notice.droppedCount, notice.nextOffset);
      return 0;
    }
    SharedEvents events = (SharedEvents) head;
    addBytes(-events.frameLength());
    addFront(events.shard(), events.recordCount(), events.nextOffset());
    return events.recordCount();
  }

  private void addFront(int shard, long count, long nextOffset) {
    DropNotice notice = front[shard];
    if (notice != null) {
      notice.merge(count, nextOffset);
    } else {
      front[shard] = new DropNotice(shard, count, nextOffset);
      frontCount++;
    }
  }

  /** The next item to send ({@link SharedEvents} or {@link DropNotice}), or null. */
  Object peek() {
    if (frontCount > 0) {
      for (DropNotice notice : front) {
        if (notice != null) {
          return notice;
        }
      }
    }
    return entries.peekFirst();
  }

  /** Removes what {@link #peek()} returned. */
  void removeHead() {
    if (frontCount > 0) {
      for (int i = 0; i < front.length; i++) {
        if (front[i] != null) {
          front[i] = null;
          frontCount--;
          return;
        }
      }
    }
    Object head = entries.pollFirst();
    if (head instanceof SharedEvents events) {
      addBytes(-events.frameLength());
    } else if (head instanceof DropNotice notice && openTail[notice.shard] == notice) {
      openTail[notice.shard] = null;
    }
  }

  /** Empties the queue (the subscription ended). */
  void clear() {
    entries.clear();
    Arrays.fill(front, null);
    Arrays.fill(openTail, null);
    frontCount = 0;
    addBytes(-bytes);
  }
}
