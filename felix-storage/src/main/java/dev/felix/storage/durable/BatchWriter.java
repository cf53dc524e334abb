package dev.felix.storage.durable;

import static dev.felix.storage.durable.BatchFormat.HEADER_BYTES;
import static dev.felix.storage.durable.BatchFormat.HEADER_BYTES_V2;

import dev.felix.storage.log.ProducerStamp;
import dev.felix.wire.message.RecordBatch;
import dev.felix.wire.message.RecordCodec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Builds the on-disk form of one append in a reusable direct buffer: one bulk copy of the records,
 * one walk over their length prefixes that renumbers offset deltas and stamps missing timestamps,
 * and one CRC pass. No per-record allocation; the buffer only grows for a bigger batch.
 *
 * <p>Not thread-safe; owned by the log's owner thread.
 */
final class BatchWriter {
  private final CRC32C crc = new CRC32C();
  private ByteBuffer buffer;
  private long maxTimestamp;

  BatchWriter(int initialBytes) {
    buffer = ByteBuffer.allocateDirect(initialBytes).order(ByteOrder.BIG_ENDIAN);
  }

  /**
   * Encodes {@code records} as the batch at {@code baseOffset}; a record timestamp of 0 becomes
   * {@code nowMs}. With a {@code stamp} the batch is format 2 (see {@link BatchFormat}). Returns
   * the buffer with the batch between position 0 and the limit.
   */
  ByteBuffer encode(RecordBatch records, long baseOffset, long nowMs, ProducerStamp stamp) {
    int recordBytes = records.sizeBytes();
    int header = stamp == null ? HEADER_BYTES : HEADER_BYTES_V2;
    int size = header + recordBytes;
    if (buffer.capacity() < size) {
      buffer =
          ByteBuffer.allocateDirect(Math.max(size, buffer.capacity() * 2))
              .order(ByteOrder.BIG_ENDIAN);
    }
    buffer.clear();
    ByteBuffer source = records.bytes();
    buffer.put(header, source, source.position(), recordBytes);
    int count = records.count();
    int position = header;
    long max = Long.MIN_VALUE;
    for (int i = 0; i < count; i++) {
      buffer.putInt(position + RecordCodec.OFFSET_DELTA_OFFSET, i);
      long timestamp = buffer.getLong(position + RecordCodec.TIMESTAMP_OFFSET);
      if (timestamp == 0) {
        timestamp = nowMs;
        buffer.putLong(position + RecordCodec.TIMESTAMP_OFFSET, timestamp);
      }
      max = Math.max(max, timestamp);
      position += RecordCodec.LENGTH_PREFIX + buffer.getInt(position);
    }
    maxTimestamp = max;
    BatchFormat.writeHeader(buffer, 0, recordBytes, baseOffset, count, max, stamp, crc);
    buffer.position(0).limit(size);
    return buffer;
  }

  /** Largest timestamp of the last encoded batch. */
  long maxTimestamp() {
    return maxTimestamp;
  }
}
