package dev.felix.storage.log;

import dev.felix.error.ErrorCode;
import dev.felix.error.LimitException;
import dev.felix.error.NotFoundException;
import dev.felix.wire.message.RecordBatch;
import dev.felix.wire.message.RecordCodec;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The append-only record log of one shard: the single storage abstraction the broker uses, with an
 * in-memory implementation ({@link MemoryLog}) and, later, a durable segmented one.
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li><b>Offsets</b> are dense 64-bit integers: the records of the log are exactly {@code
 *       [startOffset(), endOffset())}, each append takes the next {@code count} offsets, and
 *       offsets are never reused. {@code startOffset} only grows (eviction, retention).
 *   <li><b>Records</b> are stored in the {@link RecordCodec} layout, so a record travels from a
 *       publish frame through the log into an event frame without being re-encoded. A record
 *       published with timestamp 0 gets the log's clock time at append (never lower than an earlier
 *       assigned time); any other timestamp is kept as given.
 *   <li><b>Append</b> is all-or-nothing: it either assigns offsets to every record of the batch or
 *       throws before changing anything. The returned {@link Appended} carries the offsets at once
 *       (records are readable immediately) and a stage that completes when the records are as safe
 *       as the log makes them; a durable log completes it after its fsync policy is satisfied, and
 *       acknowledgements must wait for it.
 *   <li><b>Reads</b> copy whole records into a caller buffer as an EVENT-kind record run whose
 *       offset deltas are relative to the first record read, ready for {@code EventBatch}. A read
 *       of a durable log may block on disk I/O: callers must not read on an event-loop thread.
 * </ul>
 *
 * <p><b>Threading:</b> implementations are not thread-safe. Exactly one owner (in the broker, the
 * shard's lock) serialises every call except {@link #metrics()}, whose getters may be read from any
 * thread.
 */
public interface Log extends AutoCloseable {
  /**
   * Appends a validated batch (any offset deltas in it are ignored and rewritten) and assigns it
   * the offsets {@code [endOffset(), endOffset() + count)}. A bounded log may evict its oldest
   * records to make room.
   *
   * @throws LimitException {@link ErrorCode#MESSAGE_TOO_LARGE} when the batch can never fit
   * @throws dev.felix.error.StorageException when the log cannot store it now (I/O, disk full)
   */
  Appended append(RecordBatch records);

  /**
   * Appends like {@link #append(RecordBatch)} for an idempotent producer. A durable log stores the
   * stamp with the batch so that {@link #takeRecoveredProducers()} finds it after a restart; a
   * memory log has nothing that outlives it and ignores the stamp. {@code stamp} may be null.
   */
  default Appended append(RecordBatch records, ProducerStamp stamp) {
    return append(records);
  }

  /**
   * The idempotent producers' batches this log recovered when it was opened, in offset order and
   * bounded by the implementation; returned once. Empty for a log that keeps nothing across
   * restarts.
   */
  default List<StampedBatch> takeRecoveredProducers() {
    return List.of();
  }

  /**
   * Throws what {@link #append} would throw for a batch of this shape because of its size, without
   * appending; lets a caller that appends to several logs check them all first. A memory log also
   * refuses here (only here) growth its broker-wide {@link MemoryBudget} has no room for.
   */
  void checkAppend(int recordCount, long sizeBytes);

  /**
   * The {@link #startOffset()} this log would have right after appending {@code recordCount}
   * records of {@code sizeBytes} in total, if nothing else happened first. A log that never evicts
   * on append returns {@code startOffset()}. The broker uses it to hold publishers back instead of
   * evicting records that a lossless subscriber has not read yet.
   */
  long startOffsetAfterAppend(int recordCount, long sizeBytes);

  /**
   * Copies records from {@code fromOffset} into {@code out} at its position, which advances past
   * them. Stops before {@code maxRecords} records, before the records would exceed {@code maxBytes}
   * (but the first record is copied even when it alone exceeds {@code maxBytes}), before a record
   * that does not fit in {@code out.remaining()}, or at the end of the log. The copied bytes are an
   * EVENT-kind run: offset delta {@code i} for the {@code i}-th record, so record {@code i} has
   * offset {@code fromOffset + i}.
   *
   * @return the number of records copied; 0 at the end of the log, or when the first record does
   *     not fit in {@code out}
   * @throws NotFoundException {@link ErrorCode#OFFSET_OUT_OF_RANGE} when {@code fromOffset} is
   *     below {@link #startOffset()} or above {@link #endOffset()}
   */
  int read(long fromOffset, int maxRecords, int maxBytes, ByteBuffer out);

  /** Offset of the oldest retained record (equal to {@link #endOffset()} when empty). */
  long startOffset();

  /** The offset the next appended record will get. */
  long endOffset();

  /**
   * Where a reader that wants every record with timestamp {@code >= timestampMs} must start: the
   * first retained offset whose timestamp, or the timestamp of an earlier record, is {@code >=
   * timestampMs}; {@link #endOffset()} when there is none. It is never later than the first such
   * record, so nothing at or after the time is skipped. With broker-assigned (non-decreasing)
   * timestamps it is exactly the first record at or after the time.
   */
  long offsetForTimestamp(long timestampMs);

  /** Counters and gauges of this log; readable from any thread. */
  LogMetrics metrics();

  /** Releases the log's memory or files; later calls fail with {@code UNAVAILABLE}. */
  @Override
  void close();
}
