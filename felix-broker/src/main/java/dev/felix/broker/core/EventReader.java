package dev.felix.broker.core;

import dev.felix.broker.SharedEvents;
import dev.felix.storage.log.Log;
import dev.felix.storage.time.Clock;
import dev.felix.wire.WireLimits;
import dev.felix.wire.message.EventBatch;
import dev.felix.wire.message.RecordBatch;
import dev.felix.wire.message.RecordCursor;
import dev.felix.wire.message.RecordData;
import dev.felix.wire.message.StreamRef;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads a run of records from a log and encodes it once as the shared part of an EventBatch.
 *
 * <p>The log copies records into a per-thread scratch buffer (reused, so reads allocate nothing);
 * {@link EventBatch#encodeShared} then allocates the one buffer every subscriber shares. The
 * scratch is per thread rather than per shard because thousands of mostly idle shards would
 * otherwise each pin a buffer as large as the largest record.
 *
 * <p>Threading: stateless apart from the thread-local scratch, which is used only within one call.
 */
final class EventReader {
  private static final ThreadLocal<ByteBuffer> SCRATCH =
      ThreadLocal.withInitial(() -> ByteBuffer.allocate(0));

  private final WireLimits limits;
  private final int maxRecordBytes;
  private final BrokerCounters counters;
  private final Clock clock;

  EventReader(BrokerContext context) {
    this.limits = context.config().wireLimits();
    this.maxRecordBytes = context.config().maxRecordBytes();
    this.counters = context.counters();
    this.clock = context.clock();
  }

  /**
   * Reads records {@code [from, min(end, from + maxRecords))}, at most {@code maxBytes} of them (at
   * least one), and encodes them. The caller owns {@code log} (holds the shard lock).
   */
  SharedEvents read(
      Log log, StreamRef stream, int shard, long from, long end, int maxRecords, int maxBytes) {
    ByteBuffer scratch = scratch(Math.max(maxBytes, maxRecordBytes));
    int wanted = (int) Math.min(maxRecords, end - from);
    int count = log.read(from, wanted, maxBytes, scratch);
    if (count == 0) {
      throw new IllegalStateException(
          "log of " + stream + " shard " + shard + " returned no record at offset " + from);
    }
    scratch.flip();
    // Validation walks the run once more; see docs/broker.md (wire gaps) for the encoder that
    // would let the log copy straight into the shared buffer instead.
    RecordBatch records = RecordBatch.wrap(scratch, count, RecordBatch.Kind.EVENT, limits);
    ByteBuffer shared = EventBatch.encodeShared(stream, shard, from, records);
    counters.eventBatchesEncoded.increment();
    return new SharedEvents(stream, shard, from, count, shared, clock.nanoTime());
  }

  /** Reads the record at {@code offset} as a value (dead letters: a copy, off the hot path). */
  RecordData readOne(Log log, long offset) {
    ByteBuffer scratch = scratch(maxRecordBytes);
    int count = log.read(offset, 1, maxRecordBytes, scratch);
    if (count == 0) {
      throw new IllegalStateException("log returned no record at offset " + offset);
    }
    scratch.flip();
    RecordBatch records = RecordBatch.wrap(scratch, 1, RecordBatch.Kind.EVENT, limits);
    RecordCursor cursor = records.cursor();
    cursor.next();
    return cursor.toRecord();
  }

  private static ByteBuffer scratch(int capacity) {
    ByteBuffer scratch = SCRATCH.get();
    if (scratch.capacity() < capacity) {
      scratch = ByteBuffer.allocate(capacity).order(ByteOrder.BIG_ENDIAN);
      SCRATCH.set(scratch);
    }
    scratch.clear();
    return scratch;
  }
}
