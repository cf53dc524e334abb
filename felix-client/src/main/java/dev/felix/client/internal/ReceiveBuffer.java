package dev.felix.client.internal;

import dev.felix.client.ReceivedRecord;
import dev.felix.error.FelixException;
import dev.felix.wire.message.EventBatch;
import dev.felix.wire.message.RecordCursor;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded receive buffer of one subscription. The event loop adds whole event batches, already
 * validated by the codec, without copying or decoding records; the consumer (poll or the listener
 * dispatcher) turns them into {@link ReceivedRecord}s one at a time. So the network thread does no
 * per-record allocation, and a batch's frame is released once its last record is taken.
 *
 * <p><b>Flow control.</b> When the buffer holds {@code maxRecords} records or {@code maxBytes}
 * bytes, {@link FlowControl#pause()} stops reading the subscription's QUIC streams, so QUIC flow
 * control pushes back to the server; once the consumer has drained it to half of both bounds,
 * {@link FlowControl#resume()} reads again. The halfway point avoids flapping per record. Frames
 * already read when reading pauses are still accepted, so the bound may be exceeded by what one
 * read delivered. Pause and resume are called under the buffer's lock, so they can never be applied
 * out of order.
 *
 * <p><b>Threads:</b> thread-safe; one lock guards everything.
 */
final class ReceiveBuffer {

  /** Pauses and resumes reading the subscription's streams. Called under the buffer's lock. */
  interface FlowControl {
    void pause();

    void resume();
  }

  /**
   * One received batch.
   *
   * @param batch the decoded event batch (a view of its frame)
   * @param skipBelow records with a smaller offset are duplicates and are skipped; -1 for none
   */
  record Chunk(EventBatch batch, long skipBelow) {}

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
  private final int maxRecords;
  private final long maxBytes;
  private final FlowControl flow;
  private RecordCursor cursor;
  private int records;
  private long bytes;
  private boolean paused;
  private boolean ended;
  private FelixException failure;

  /** Told (outside the lock) when records arrive or the buffer ends: the pooled dispatcher. */
  private volatile Runnable onChange = () -> {};

  ReceiveBuffer(int maxRecords, long maxBytes, FlowControl flow) {
    this.maxRecords = maxRecords;
    this.maxBytes = maxBytes;
    this.flow = flow;
  }

  /** Sets what to tell when records arrive or the buffer ends. */
  void onChange(Runnable listener) {
    this.onChange = listener;
  }

  /** Adds a batch (event loop); pauses reading when the buffer is now full. */
  void offer(Chunk chunk) {
    offerLocked(chunk);
    onChange.run();
  }

  private void offerLocked(Chunk chunk) {
    lock.lock();
    try {
      if (ended) {
        return;
      }
      chunks.addLast(chunk);
      records += chunk.batch().records().count();
      bytes += chunk.batch().records().sizeBytes();
      if (!paused && (records >= maxRecords || bytes >= maxBytes)) {
        paused = true;
        flow.pause();
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The next record, waiting up to {@code timeoutNanos}; null on timeout, or at once when the
   * buffer is ended and drained.
   */
  ReceivedRecord poll(long timeoutNanos) throws InterruptedException {
    long left = timeoutNanos;
    lock.lockInterruptibly();
    try {
      while (true) {
        ReceivedRecord record = next();
        if (record != null) {
          maybeResume();
          return record;
        }
        if (ended || left <= 0) {
          return null;
        }
        left = changed.awaitNanos(left);
      }
    } finally {
      lock.unlock();
    }
  }

  /** No more batches will be added; waiting consumers wake. {@code cause} null: a normal end. */
  void end(FelixException cause) {
    lock.lock();
    try {
      if (!ended) {
        ended = true;
        failure = cause;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    onChange.run();
  }

  /** Discards everything buffered (on unsubscribe). */
  void clear() {
    lock.lock();
    try {
      chunks.clear();
      cursor = null;
      records = 0;
      bytes = 0;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** True once ended and every buffered record was taken. */
  boolean isDrained() {
    lock.lock();
    try {
      return ended && chunks.isEmpty();
    } finally {
      lock.unlock();
    }
  }

  boolean isPaused() {
    lock.lock();
    try {
      return paused;
    } finally {
      lock.unlock();
    }
  }

  /** Why the buffer ended, or null (still open, or ended normally). */
  FelixException failure() {
    lock.lock();
    try {
      return failure;
    } finally {
      lock.unlock();
    }
  }

  int records() {
    lock.lock();
    try {
      return records;
    } finally {
      lock.unlock();
    }
  }

  /** Takes the next non-duplicate record, or null when none is buffered. Under the lock. */
  private ReceivedRecord next() {
    while (!chunks.isEmpty()) {
      Chunk head = chunks.peekFirst();
      EventBatch batch = head.batch();
      if (cursor == null) {
        cursor = batch.records().cursor();
      }
      while (cursor.next()) {
        records--;
        bytes -= cursor.recordSize();
        long offset = batch.baseOffset() + cursor.offsetDelta();
        if (offset < head.skipBelow()) {
          continue;
        }
        return new ReceivedRecord(
            batch.stream(),
            batch.shard(),
            offset,
            cursor.timestampMs(),
            cursor.copyKey(),
            cursor.headers(),
            cursor.copyPayload());
      }
      chunks.pollFirst();
      cursor = null;
    }
    return null;
  }

  private void maybeResume() {
    if (paused && records <= maxRecords / 2 && bytes <= maxBytes / 2) {
      paused = false;
      flow.resume();
    }
  }
}
