package dev.felix.broker.core;

import dev.felix.error.ErrorCode;
import dev.felix.error.LimitException;
import dev.felix.error.ProtocolException;
import dev.felix.wire.WireLimits;
import dev.felix.wire.message.PublishTarget;
import dev.felix.wire.message.RecordBatch;
import dev.felix.wire.message.RecordCursor;
import java.util.Arrays;

/**
 * Where each record of one publish goes, checked against the size limits in the same walk: the
 * explicit shard if the publish names one, else {@code hash(key) % shards} for keyed records, else
 * one round-robin shard for the whole call (so an unkeyed batch stays in one shard and gets one ack
 * range).
 */
final class PublishRoute {
  /** The shard of every record, or -1 when they differ. */
  final int singleShard;

  /** Per record, only when they differ (else null). */
  final int[] shardOfRecord;

  private PublishRoute(int singleShard, int[] shardOfRecord) {
    this.singleShard = singleShard;
    this.shardOfRecord = shardOfRecord;
  }

  static PublishRoute of(
      Stream stream,
      PublishTarget target,
      RecordBatch records,
      WireLimits limits,
      int maxRecordBytes,
      int maxBatchBytes) {
    int shards = stream.shardCount();
    int explicit = target.shard();
    if (explicit >= shards) {
      throw new ProtocolException(
          ErrorCode.INVALID_ARGUMENT,
          "shard " + explicit + " does not exist: " + stream.ref() + " has " + shards + " shards");
    }
    if (records.count() > limits.maxRecordsPerBatch()) {
      throw new LimitException(
          ErrorCode.LIMIT_EXCEEDED,
          records.count() + " records exceed the batch limit of " + limits.maxRecordsPerBatch());
    }
    if (target.producerId() != 0 && target.sequence() > Long.MAX_VALUE - records.count() + 1) {
      // The records' sequences would wrap past Long.MAX_VALUE: no stored stamp could describe them.
      throw new ProtocolException(
          ErrorCode.INVALID_ARGUMENT,
          "producer sequences "
              + target.sequence()
              + " + "
              + records.count()
              + " records overflow a 64-bit sequence");
    }
    if (records.sizeBytes() > maxBatchBytes) {
      throw new LimitException(
          ErrorCode.LIMIT_EXCEEDED,
          "a batch of " + records.sizeBytes() + " bytes exceeds maxBatchBytes of " + maxBatchBytes);
    }
    int first = -1;
    int roundRobin = -1;
    int[] perRecord = null;
    RecordCursor cursor = records.cursor();
    while (cursor.next()) {
      checkRecord(cursor, limits, maxRecordBytes);
      int shard;
      if (explicit != PublishTarget.ANY_SHARD) {
        shard = explicit;
      } else if (shards == 1) {
        shard = 0;
      } else if (cursor.hasKey()) {
        shard = KeyHash.shard(cursor.buffer(), cursor.keyPosition(), cursor.keyLength(), shards);
      } else {
        if (roundRobin < 0) {
          roundRobin = stream.nextRoundRobinShard();
        }
        shard = roundRobin;
      }
      if (first < 0) {
        first = shard;
      } else if (perRecord == null && shard != first) {
        perRecord = new int[records.count()];
        Arrays.fill(perRecord, 0, cursor.index(), first);
      }
      if (perRecord != null) {
        perRecord[cursor.index()] = shard;
      }
    }
    return new PublishRoute(perRecord == null ? first : -1, perRecord);
  }

  private static void checkRecord(RecordCursor cursor, WireLimits limits, int maxRecordBytes) {
    if (cursor.recordSize() > maxRecordBytes) {
      throw new LimitException(
          ErrorCode.MESSAGE_TOO_LARGE,
          "record "
              + cursor.index()
              + " is "
              + cursor.recordSize()
              + " bytes, above maxRecordBytes of "
              + maxRecordBytes);
    }
    if (cursor.keyLength() > limits.maxKeyBytes()) {
      throw new LimitException(
          ErrorCode.MESSAGE_TOO_LARGE,
          "record " + cursor.index() + " key exceeds " + limits.maxKeyBytes() + " bytes");
    }
    if (cursor.headerCount() > limits.maxHeadersPerRecord()) {
      throw new LimitException(
          ErrorCode.LIMIT_EXCEEDED,
          "record "
              + cursor.index()
              + " has more than "
              + limits.maxHeadersPerRecord()
              + " headers");
    }
  }

  boolean isSingleShard() {
    return shardOfRecord == null;
  }
}
