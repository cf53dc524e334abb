package dev.felix.broker.core;

import dev.felix.broker.BackPressurePolicy;
import dev.felix.broker.BatchingConfig;
import dev.felix.broker.SharedEvents;
import dev.felix.broker.time.Cancellable;
import dev.felix.error.ErrorCode;
import dev.felix.error.UnavailableException;
import dev.felix.storage.durable.DurableLog;
import dev.felix.storage.log.Appended;
import dev.felix.storage.log.Log;
import dev.felix.storage.log.LogMetrics;
import dev.felix.storage.log.ProducerStamp;
import dev.felix.storage.log.StampedBatch;
import dev.felix.wire.message.RecordBatch;
import dev.felix.wire.message.RecordData;
import dev.felix.wire.message.StartPosition;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One shard: its log, the records appended but not yet fanned out ("pending", the broker-side
 * batch), and the cursors of the subscriptions reading it.
 *
 * <p>Fan-out point: {@code flushedEnd}. Records below it have been pushed to every live cursor;
 * records from it to the log's end are pending. A flush reads the pending records back from the log
 * in batches, encodes each batch once, and offers the same {@link SharedEvents} to every live
 * cursor's subscription.
 *
 * <p>Threading: {@link #lock} guards the log, the pending state, the cursor list and the cursors'
 * offsets. It is taken by publishers, by subscribe, by the batching timer and by catch-up steps;
 * each holds it for bounded work (one publish, one flush of at most the pending records, one
 * catch-up step of {@code catchUpBytesPerStep}). Several shards of one stream are locked in shard
 * order; no code holds locks of two streams. {@link #blockedSignal} is lock-free; {@code closed} is
 * volatile so lock-free paths can see it.
 */
public final class Shard {
  private static final Logger LOG = LoggerFactory.getLogger(Shard.class);

  /** Retention runs every 30 s: segments are large, so a finer grain would buy nothing. */
  private static final long RETENTION_CHECK_NANOS = 30_000_000_000L;

  private final Stream stream;
  private final int index;
  private final BrokerContext context;
  private final EventReader reader;
  private final Log log;
  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayList<ShardCursor> cursors = new ArrayList<>();
  private final BlockedPublishers blockedPublishers;
  private final boolean durable;
  private final ProducerSequences producers;

  /** Consumer groups of this shard: few, and changed only when a group is created or closed. */
  private final CopyOnWriteArrayList<ShardListener> listeners = new CopyOnWriteArrayList<>();

  private Cancellable retentionTimer;
  private long flushedEnd;
  private int pendingRecords;
  private long pendingBytes;
  private long flushGeneration;
  private Cancellable flushTimer;
  private volatile boolean closed;
  private volatile int cursorCount;

  Shard(Stream stream, int index, BrokerContext context, EventReader reader) {
    this.stream = stream;
    this.index = index;
    this.context = context;
    this.reader = reader;
    this.blockedPublishers = new BlockedPublishers(context.scheduler());
    this.producers = new ProducerSequences(context.counters().producersForgotten);
    this.log = context.storage().openLog(stream.ref(), index, stream.config());
    this.durable = stream.config().durable();
    rememberRecoveredProducers();
    if (durable) {
      scheduleRetention();
    }
  }

  /**
   * Rebuilds the idempotent producers' windows from the stamped batches a durable log read when it
   * opened, so that a publish retried across a broker restart (even a SIGKILL) is acknowledged with
   * its original offsets instead of being appended again. The records are on disk already, so the
   * remembered appends need no further durability wait. No lock needed: the shard is not shared
   * yet.
   */
  private void rememberRecoveredProducers() {
    List<StampedBatch> recovered = log.takeRecoveredProducers();
    for (StampedBatch batch : recovered) {
      ProducerStamp stamp = batch.stamp();
      producers.remember(
          stamp.producerId(),
          stamp.firstSequence(),
          stamp.lastSequence(),
          new Appended(batch.baseOffset(), batch.recordCount(), Appended.ALREADY_DURABLE));
    }
    context.counters().producerBatchesRecovered.add(recovered.size());
    if (!recovered.isEmpty()) {
      LOG.info(
          "{} shard {}: remembered {} batches of idempotent producers from the log",
          stream.ref(),
          index,
          recovered.size());
    }
  }

  /**
   * Durable logs delete whole sealed segments past the stream's retention; checked on a timer (and
   * by the log itself after every roll), under the shard's lock like every other log call.
   */
  private void scheduleRetention() {
    retentionTimer =
        context
            .scheduler()
            .schedule(
                RETENTION_CHECK_NANOS,
                () -> {
                  lock.lock();
                  try {
                    if (closed) {
                      return;
                    }
                    if (log instanceof DurableLog durableLog) {
                      durableLog.applyRetention(context.clock().epochMillis());
                    }
                  } catch (RuntimeException e) {
                    LOG.warn("retention of {} shard {} failed", stream.ref(), index, e);
                  } finally {
                    lock.unlock();
                  }
                  scheduleRetention();
                });
  }

  public int index() {
    return index;
  }

  LogMetrics logMetrics() {
    return log.metrics();
  }

  int cursorCount() {
    return cursorCount;
  }

  void lock() {
    lock.lock();
  }

  /** The log's end offset (takes the shard's lock). */
  long endOffset() {
    lock.lock();
    try {
      ensureOpenLocked();
      return log.endOffset();
    } finally {
      lock.unlock();
    }
  }

  void unlock() {
    lock.unlock();
  }

  // ---- publishing (lock held)

  /** Throws what the log would throw for a batch of this shape (size limits). */
  void checkAppendLocked(int records, long bytes) {
    ensureOpenLocked();
    log.checkAppend(records, bytes);
  }

  /**
   * True when the stream's policy is {@code block} and appending now would overrun a subscriber: a
   * live one whose send queue is full, or a catching-up one whose next record the append would
   * evict from the log.
   */
  boolean isBlockedLocked(int records, long bytes) {
    if (durable || stream.config().policy() != BackPressurePolicy.BLOCK) {
      // A durable log keeps what a slow subscriber has not read: it never holds publishers back.
      return false;
    }
    long startAfterAppend = -1;
    for (int i = 0; i < cursors.size(); i++) {
      ShardCursor cursor = cursors.get(i);
      if (cursor.subscription.isClosed()) {
        continue;
      }
      if (cursor.live) {
        if (!cursor.subscription.hasRoom()) {
          return true;
        }
      } else {
        if (startAfterAppend < 0) {
          startAfterAppend = log.startOffsetAfterAppend(records, bytes);
        }
        if (startAfterAppend > cursor.nextOffset) {
          return true;
        }
      }
    }
    return false;
  }

  /** See {@link BlockedPublishers#signal()}. */
  CompletionStage<Void> blockedSignal() {
    return blockedPublishers.signal();
  }

  /** Lets publishers held back by this shard retry (from any thread, under any lock). */
  void wakeBlockedPublishers() {
    blockedPublishers.wake();
  }

  /**
   * Appends, then flushes or arms the batching timer. With {@code producer != 0} the append is
   * stamped with the producer's sequences {@code firstSequence..lastSequence} (stored with the
   * batch by a durable log) and remembered in {@link #producersLocked()}.
   */
  Appended appendLocked(RecordBatch records, long producer, long firstSequence, long lastSequence) {
    int count = records.count();
    int bytes = records.sizeBytes();
    if (pendingRecords > 0 && log.startOffsetAfterAppend(count, bytes) > flushedEnd) {
      flushLocked(); // never let eviction take records before they were fanned out
    }
    Appended appended =
        producer == 0
            ? log.append(records)
            : log.append(records, new ProducerStamp(producer, firstSequence, lastSequence));
    if (producer != 0) {
      producers.remember(producer, firstSequence, lastSequence, appended);
    }
    pendingRecords += count;
    pendingBytes += bytes;
    BatchingConfig batching = stream.config().batching();
    if (batching.maxDelayNanos() == 0
        || pendingRecords >= batching.maxRecords()
        || pendingBytes >= batching.maxBytes()) {
      flushLocked();
    } else if (flushTimer == null) {
      long generation = flushGeneration;
      flushTimer =
          context.scheduler().schedule(batching.maxDelayNanos(), () -> timedFlush(generation));
    }
    return appended;
  }

  /** Idempotent producers' sequences on this shard (lock held). */
  ProducerSequences producersLocked() {
    return producers;
  }

  // ---- fan-out

  /** Flushes pending records now (from any thread). */
  void flush() {
    lock.lock();
    try {
      if (!closed) {
        flushLocked();
      }
    } finally {
      lock.unlock();
    }
  }

  private void timedFlush(long generation) {
    lock.lock();
    try {
      if (!closed && generation == flushGeneration) {
        flushTimer = null;
        flushLocked();
      }
    } finally {
      lock.unlock();
    }
  }

  private void flushLocked() {
    long end = log.endOffset();
    if (flushedEnd < end) {
      for (ShardListener listener : listeners) {
        listener.onFlushed();
      }
      cursors.removeIf(cursor -> cursor.subscription.isClosed());
      cursorCount = cursors.size();
      if (!hasLiveCursorLocked()) {
        flushedEnd = end; // nobody to deliver to: skip the read and the encoding
      }
      BatchingConfig batching = stream.config().batching();
      while (flushedEnd < end) {
        long batchStart = flushedEnd;
        SharedEvents events =
            reader.read(
                log,
                stream.ref(),
                index,
                flushedEnd,
                end,
                batching.maxRecords(),
                batching.maxBytes());
        flushedEnd = events.nextOffset();
        for (int i = 0; i < cursors.size(); i++) {
          ShardCursor cursor = cursors.get(i);
          if (!cursor.live) {
            continue;
          }
          if (durable && !cursor.subscription.hasRoom()) {
            // Too far behind for its queue: it leaves the live fan-out and reads this batch and
            // what follows from the log (a catch-up step is scheduled once its queue drains).
            cursor.live = false;
            cursor.nextOffset = batchStart;
            continue;
          }
          cursor.nextOffset = flushedEnd;
          cursor.subscription.offerLive(events);
        }
      }
    }
    pendingRecords = 0;
    pendingBytes = 0;
    flushGeneration++;
    if (flushTimer != null) {
      flushTimer.cancel();
      flushTimer = null;
    }
  }

  private boolean hasLiveCursorLocked() {
    for (int i = 0; i < cursors.size(); i++) {
      if (cursors.get(i).live) {
        return true;
      }
    }
    return false;
  }

  // ---- subscriptions

  /**
   * Resolves {@code start} and attaches a cursor; live at once when it starts at the fan-out point
   * (pending records are flushed first so that "latest" means the log's end).
   *
   * @throws dev.felix.error.NotFoundException {@code OFFSET_OUT_OF_RANGE}: see {@link
   *     StartPositions#resolve}
   */
  ShardCursor attachLocked(
      BrokerSubscription subscription, StartPosition start, boolean fromEarliestIfOutOfRange) {
    ensureOpenLocked();
    flushLocked();
    long offset = StartPositions.resolve(log, start, fromEarliestIfOutOfRange, stream.ref(), index);
    ShardCursor cursor = new ShardCursor(subscription, this, offset, offset == flushedEnd);
    cursors.add(cursor);
    cursorCount = cursors.size();
    return cursor;
  }

  /** Removes a cursor (unsubscribe) and releases anything it held back. */
  void detach(ShardCursor cursor) {
    lock.lock();
    try {
      cursors.remove(cursor);
      cursorCount = cursors.size();
    } finally {
      lock.unlock();
    }
  }

  /** Queues one catch-up step for {@code cursor} unless one is queued already. */
  void scheduleCatchUp(ShardCursor cursor) {
    if (cursor.stepScheduled.compareAndSet(false, true)) {
      context.scheduler().execute(() -> CatchUp.step(cursor));
    }
  }

  // ---- consumer groups

  void addListener(ShardListener listener) {
    listeners.add(listener);
  }

  void removeListener(ShardListener listener) {
    listeners.remove(listener);
  }

  /** Where a new group starts on this shard: {@code start} resolved as for a subscription. */
  long resolveStartLocked(StartPosition start, boolean fromEarliestIfOutOfRange) {
    ensureOpenLocked();
    flushLocked();
    return StartPositions.resolve(log, start, fromEarliestIfOutOfRange, stream.ref(), index);
  }

  /**
   * The fan-out point after flushing pending records (a stored group position is clamped to it).
   */
  long endLocked() {
    ensureOpenLocked();
    flushLocked();
    return flushedEnd;
  }

  /**
   * Reads and encodes up to {@code maxRecords} records from {@code from}, below the fan-out point.
   */
  SharedEvents readForGroupLocked(long from, int maxRecords) {
    ensureOpenLocked();
    BatchingConfig batching = stream.config().batching();
    int max = Math.min(maxRecords, batching.maxRecords());
    long end = Math.min(flushedEnd, from + max);
    return reader.read(log, stream.ref(), index, from, end, max, batching.maxBytes());
  }

  /** One record, decoded (dead letters). */
  RecordData readRecordLocked(long offset) {
    ensureOpenLocked();
    return reader.readOne(log, offset);
  }

  // ---- for CatchUp, with the lock held

  Log logLocked() {
    return log;
  }

  long flushedEndLocked() {
    return flushedEnd;
  }

  boolean isClosed() {
    return closed;
  }

  int catchUpBytesPerStep() {
    return context.config().catchUpBytesPerStep();
  }

  /** Reads and encodes records from {@code from} up to the fan-out point, one batch's worth. */
  SharedEvents readBacklogLocked(long from) {
    BatchingConfig batching = stream.config().batching();
    return reader.read(
        log, stream.ref(), index, from, flushedEnd, batching.maxRecords(), batching.maxBytes());
  }

  private void ensureOpenLocked() {
    if (closed) {
      throw new UnavailableException(
          ErrorCode.UNAVAILABLE, "stream " + stream.ref() + " is closed");
    }
  }

  /** Ends every subscription of this shard with UNAVAILABLE and frees the log. */
  void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      if (flushTimer != null) {
        flushTimer.cancel();
        flushTimer = null;
      }
      if (retentionTimer != null) {
        retentionTimer.cancel();
        retentionTimer = null;
      }
      UnavailableException reason =
          new UnavailableException(ErrorCode.UNAVAILABLE, "stream " + stream.ref() + " closed");
      for (ShardCursor cursor : cursors) {
        cursor.subscription.closeByBroker(reason);
      }
      cursors.clear();
      cursorCount = 0;
      for (ShardListener listener : listeners) {
        listener.onShardClosed();
      }
      listeners.clear();
      log.close();
    } finally {
      lock.unlock();
    }
    wakeBlockedPublishers();
  }
}
