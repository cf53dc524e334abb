package dev.felix.broker.core;

import dev.felix.broker.BackPressurePolicy;
import dev.felix.broker.EventSink;
import dev.felix.broker.SharedEvents;
import dev.felix.broker.Subscription;
import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.error.LimitException;
import dev.felix.wire.message.ShardOffset;
import dev.felix.wire.message.StreamRef;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A subscription: one {@link SendQueue} in front of one {@link EventSink}, fed by the cursors of
 * its shards.
 *
 * <p>Threading: {@link #lock} guards the queue, the drain state and every call into the sink, so
 * the sink sees one call at a time, in queue order. Lock order is shard lock, then this lock; code
 * holding this lock never takes a shard lock (catch-up and wake-ups go through the scheduler). The
 * counters are volatile, written under the lock, readable anywhere.
 */
public final class BrokerSubscription implements Subscription {
  private static final Logger LOG = LoggerFactory.getLogger(BrokerSubscription.class);

  private final int id;
  private final Stream stream;
  private final EventSink sink;
  private final BackPressurePolicy policy;
  private final BrokerContext context;
  private final BrokerCounters counters;
  private final ReentrantLock lock = new ReentrantLock();
  private final SendQueue queue;
  private boolean draining;
  private boolean writableDuringDrain;
  private volatile boolean closed;
  private volatile ShardCursor[] cursors = new ShardCursor[0];
  private volatile List<ShardOffset> startOffsets = List.of();
  private volatile long deliveredBatches;
  private volatile long deliveredRecords;
  private volatile long droppedRecords;

  /**
   * A consumer group's clean-up when this (member) subscription ends; run on a scheduler thread.
   */
  private volatile Runnable endHook;

  BrokerSubscription(int id, Stream stream, EventSink sink, BrokerContext context) {
    this.id = id;
    this.stream = stream;
    this.sink = sink;
    // Durable streams admit every live batch (a cursor without room leaves the live fan-out and
    // reads the log instead), so the queue never drops for them: BLOCK's admission rule.
    this.policy = stream.config().durable() ? BackPressurePolicy.BLOCK : stream.config().policy();
    this.context = context;
    this.counters = context.counters();
    this.queue =
        new SendQueue(
            stream.shardCount(), stream.config().sendQueueBytes(), counters.sendQueueBytes);
  }

  /** Called once by the subscribe path, before any shard lock it holds is released. */
  void started(ShardCursor[] attached, List<ShardOffset> starts) {
    cursors = attached;
    startOffsets = List.copyOf(starts);
  }

  /**
   * Runs {@code hook} on a scheduler thread once the subscription ends, however it ends. Set by a
   * consumer group before anything is delivered. The hop to the scheduler keeps the lock order:
   * subscriptions end under their own lock, and the group's clean-up takes the group's lock.
   */
  void onEnd(Runnable hook) {
    endHook = hook;
  }

  private void runEndHook() {
    Runnable hook = endHook;
    if (hook != null) {
      endHook = null;
      context.scheduler().execute(hook);
    }
  }

  // ---- called by shards, with the shard's lock held

  void offerLive(SharedEvents events) {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      long dropped = queue.offerLive(events, policy);
      if (dropped == SendQueue.OVERFLOW) {
        counters.slowConsumerDisconnects.increment();
        endLocked(
            new LimitException(
                ErrorCode.SLOW_CONSUMER,
                "subscription " + id + " fell more than its send queue behind on " + stream.ref()));
        return;
      }
      countDropped(dropped);
      drainLocked();
    } finally {
      lock.unlock();
    }
  }

  void offerCatchUp(SharedEvents events) {
    lock.lock();
    try {
      if (!closed) {
        queue.add(events);
        drainLocked();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * {@code lost} records of {@code shard} were evicted before this subscription read them.
   *
   * @return false when the subscription ended because of it ({@code disconnect} policy)
   */
  boolean onGap(int shard, long lost, long nextOffset) {
    lock.lock();
    try {
      if (closed) {
        return false;
      }
      if (policy == BackPressurePolicy.DISCONNECT) {
        counters.slowConsumerDisconnects.increment();
        endLocked(
            new LimitException(
                ErrorCode.SLOW_CONSUMER,
                "subscription " + id + " fell behind the retained log of " + stream.ref()));
        return false;
      }
      queue.addGap(shard, lost, nextOffset);
      countDropped(lost);
      drainLocked();
      return true;
    } finally {
      lock.unlock();
    }
  }

  boolean hasRoom() {
    return queue.hasRoom();
  }

  /** The broker ends the subscription (stream or broker closing). */
  void closeByBroker(FelixException reason) {
    lock.lock();
    try {
      endLocked(reason);
    } finally {
      lock.unlock();
    }
  }

  // ---- Subscription API

  @Override
  public void onWritable() {
    if (lock.isHeldByCurrentThread()) {
      // The sink called back from inside offer: the running drain loop retries.
      writableDuringDrain = true;
      return;
    }
    lock.lock();
    try {
      if (!closed) {
        drainLocked();
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      queue.clear();
      counters.subscriptions.decrementAndGet();
    } finally {
      lock.unlock();
    }
    runEndHook();
    if (lock.isHeldByCurrentThread()) {
      // Called from inside a sink callback, possibly under another shard's lock: taking shard
      // locks here could invert the lock order, so detach on a scheduler thread.
      context.scheduler().execute(this::detachAll);
    } else {
      detachAll();
    }
  }

  private void detachAll() {
    for (ShardCursor cursor : cursors) {
      cursor.shard.detach(cursor);
    }
    wakeShards();
  }

  private void endLocked(FelixException reason) {
    if (closed) {
      return;
    }
    closed = true;
    queue.clear();
    counters.subscriptions.decrementAndGet();
    wakeShards();
    runEndHook();
    try {
      sink.onClose(reason);
    } catch (RuntimeException e) {
      LOG.error("event sink of subscription {} on {} failed on close", id, stream.ref(), e);
    }
  }

  /** Hands queued items to the sink until it refuses one or the queue is empty. */
  private void drainLocked() {
    if (draining) {
      return;
    }
    draining = true;
    boolean wasFull = !queue.hasRoom();
    try {
      Object head;
      boolean retried = false;
      while (!closed && (head = queue.peek()) != null) {
        writableDuringDrain = false;
        boolean accepted;
        try {
          accepted =
              head instanceof SharedEvents events
                  ? sink.offer(events)
                  : sink.offer(((DropNotice) head).toMessage(id));
        } catch (RuntimeException e) {
          // A broken sink ends its own subscription, never the publisher's call or other
          // subscribers' deliveries. Logged once: the subscription is over.
          LOG.error("event sink of subscription {} on {} failed", id, stream.ref(), e);
          endLocked(new FelixException(ErrorCode.INTERNAL, "event sink failed: " + e));
          return;
        }
        if (!accepted) {
          if (writableDuringDrain && !retried) {
            retried = true; // the sink turned writable while refusing: one more try
            continue;
          }
          break;
        }
        retried = false;
        queue.removeHead();
        countDelivered(head);
      }
    } finally {
      draining = false;
    }
    if (!closed && queue.hasRoom()) {
      if (wasFull) {
        wakeShards();
      }
      for (ShardCursor cursor : cursors) {
        if (!cursor.live) {
          cursor.shard.scheduleCatchUp(cursor);
        }
      }
    }
  }

  /** Publishers held back by this subscription (block policy) may retry. */
  private void wakeShards() {
    if (policy == BackPressurePolicy.BLOCK) {
      for (ShardCursor cursor : cursors) {
        cursor.shard.wakeBlockedPublishers();
      }
    }
  }

  private void countDelivered(Object item) {
    if (item instanceof SharedEvents events) {
      long batches = deliveredBatches;
      long records = deliveredRecords;
      deliveredBatches = batches + 1;
      deliveredRecords = records + events.recordCount();
      counters.eventBatchesDelivered.increment();
      counters.eventRecordsDelivered.add(events.recordCount());
      counters.eventBytesDelivered.add(events.frameLength());
    } else {
      counters.dropNotices.increment();
    }
  }

  private void countDropped(long records) {
    if (records > 0) {
      long dropped = droppedRecords;
      droppedRecords = dropped + records;
      counters.droppedRecords.add(records);
    }
  }

  @Override
  public int id() {
    return id;
  }

  @Override
  public StreamRef stream() {
    return stream.ref();
  }

  @Override
  public List<ShardOffset> startOffsets() {
    return startOffsets;
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public long queuedBytes() {
    return queue.bytes();
  }

  @Override
  public long deliveredBatches() {
    return deliveredBatches;
  }

  @Override
  public long deliveredRecords() {
    return deliveredRecords;
  }

  @Override
  public long droppedRecords() {
    return droppedRecords;
  }

  @Override
  public String toString() {
    return "Subscription[" + id + " on " + stream.ref() + ", " + policy.configName() + "]";
  }
}
