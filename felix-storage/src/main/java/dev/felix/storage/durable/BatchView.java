package dev.felix.storage.durable;

import dev.felix.wire.message.RecordCodec;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The total parser of {@link BatchFormat}: {@link #parse} looks at the bytes of one batch in a
 * buffer and returns a {@link Status}; on {@link Status#OK} the header fields are readable from
 * this view. Any byte sequence gives a status: no exception, and no allocation at all, so a corrupt
 * length can never size a buffer.
 *
 * <p>Not thread-safe: a reusable flyweight, one per reader.
 */
final class BatchView {
  /** Outcome of {@link #parse}. */
  enum Status {
    /** A complete, well-formed batch. */
    OK,
    /**
     * The bytes end before the batch does (its length and magic looked right so far). At the end of
     * a file this is a torn write; in a buffer, read more.
     */
    INCOMPLETE,
    /** The length is below the smallest or above the largest possible batch. */
    BAD_LENGTH,
    BAD_MAGIC,
    /** Reserved attribute bits are set. */
    BAD_ATTRIBUTES,
    /** A format 2 producer stamp is impossible (producer id 0, negative or inverted sequences). */
    BAD_PRODUCER,
    BAD_CRC,
    /** Count, base offset or max timestamp are impossible, or the records do not add up. */
    BAD_RECORDS
  }

  private final CRC32C crc = new CRC32C();
  private int size;
  private long baseOffset;
  private int recordCount;
  private long maxTimestamp;
  private int headerBytes;
  private long producerId;
  private long firstSequence;
  private long lastSequence;

  /**
   * Parses the batch at {@code buffer[position, limit)}. With {@code checkCrc} false only the
   * structure is checked (header fields, record length chain, offset deltas): the read path uses
   * that for data that has already been verified since it was written.
   */
  Status parse(ByteBuffer buffer, int position, int limit, boolean checkCrc) {
    int available = limit - position;
    if (available < 4) {
      return Status.INCOMPLETE;
    }
    long length = buffer.getInt(position + BatchFormat.LENGTH_OFFSET) & 0xFFFF_FFFFL;
    if (length < BatchFormat.MIN_BATCH_BYTES - 4 || length > BatchFormat.MAX_BATCH_BYTES - 4) {
      return Status.BAD_LENGTH;
    }
    if (available < 8) {
      return Status.INCOMPLETE;
    }
    int header = BatchFormat.headerBytes(buffer.getInt(position + BatchFormat.MAGIC_OFFSET));
    if (header < 0) {
      return Status.BAD_MAGIC;
    }
    int batchSize = (int) length + 4;
    if (batchSize < header + RecordCodec.MIN_RECORD) {
      return Status.BAD_LENGTH;
    }
    if (available < batchSize) {
      return Status.INCOMPLETE;
    }
    int end = position + batchSize;
    if (checkCrc
        && BatchFormat.crc(buffer, position + BatchFormat.CRC_START, end, crc)
            != buffer.getInt(position + BatchFormat.CRC_OFFSET)) {
      return Status.BAD_CRC;
    }
    if (buffer.getInt(position + BatchFormat.ATTRIBUTES_OFFSET) != 0) {
      return Status.BAD_ATTRIBUTES;
    }
    long producer = 0;
    long first = -1;
    long last = -1;
    if (header == BatchFormat.HEADER_BYTES_V2) {
      producer = buffer.getLong(position + BatchFormat.PRODUCER_ID_OFFSET);
      first = buffer.getLong(position + BatchFormat.FIRST_SEQUENCE_OFFSET);
      last = buffer.getLong(position + BatchFormat.LAST_SEQUENCE_OFFSET);
      if (producer == 0 || first < 0 || last < first) {
        return Status.BAD_PRODUCER;
      }
    }
    long base = buffer.getLong(position + BatchFormat.BASE_OFFSET_OFFSET);
    long count = buffer.getInt(position + BatchFormat.RECORD_COUNT_OFFSET) & 0xFFFF_FFFFL;
    long max = buffer.getLong(position + BatchFormat.MAX_TIMESTAMP_OFFSET);
    if (base < 0
        || count < 1
        || count > (batchSize - header) / RecordCodec.MIN_RECORD
        || base > Long.MAX_VALUE - count
        || max < 0
        || !recordsAddUp(buffer, position + header, end, (int) count, max)) {
      return Status.BAD_RECORDS;
    }
    this.headerBytes = header;
    this.producerId = producer;
    this.firstSequence = first;
    this.lastSequence = last;
    this.size = batchSize;
    this.baseOffset = base;
    this.recordCount = (int) count;
    this.maxTimestamp = max;
    return Status.OK;
  }

  /**
   * Walks the length prefixes: exactly {@code count} records of sane length fill {@code [from,
   * end)}, their deltas are 0..count-1, and {@code max} is their largest timestamp.
   */
  private static boolean recordsAddUp(ByteBuffer buffer, int from, int end, int count, long max) {
    int position = from;
    long seenMax = Long.MIN_VALUE;
    for (int i = 0; i < count; i++) {
      if (end - position < RecordCodec.MIN_RECORD) {
        return false;
      }
      int length = buffer.getInt(position);
      if (length < RecordCodec.MIN_BODY || length > end - position - RecordCodec.LENGTH_PREFIX) {
        return false;
      }
      if (buffer.getInt(position + RecordCodec.OFFSET_DELTA_OFFSET) != i) {
        return false;
      }
      long timestamp = buffer.getLong(position + RecordCodec.TIMESTAMP_OFFSET);
      if (timestamp < 0) {
        return false;
      }
      seenMax = Math.max(seenMax, timestamp);
      position += RecordCodec.LENGTH_PREFIX + length;
    }
    return position == end && seenMax == max;
  }

  /** Size of the parsed batch including its length field. */
  int size() {
    return size;
  }

  long baseOffset() {
    return baseOffset;
  }

  /** Header bytes of the parsed batch: where its records start, relative to the batch. */
  int headerBytes() {
    return headerBytes;
  }

  /** Producer id of a format 2 batch; 0 for format 1 (no stamp). */
  long producerId() {
    return producerId;
  }

  /** First producer sequence of a format 2 batch; -1 for format 1. */
  long firstSequence() {
    return firstSequence;
  }

  /** Last producer sequence of a format 2 batch; -1 for format 1. */
  long lastSequence() {
    return lastSequence;
  }

  int recordCount() {
    return recordCount;
  }

  long endOffset() {
    return baseOffset + recordCount;
  }

  long maxTimestamp() {
    return maxTimestamp;
  }

  /**
   * The record count a damaged batch's header claims, when enough of it is present and the count is
   * plausible for the claimed length; 0 otherwise. Only for the recovery report's estimate.
   */
  static long claimedRecords(ByteBuffer buffer, int position, int limit) {
    if (limit - position < BatchFormat.HEADER_BYTES
        || BatchFormat.headerBytes(buffer.getInt(position + BatchFormat.MAGIC_OFFSET)) < 0) {
      return 0;
    }
    long length = buffer.getInt(position) & 0xFFFF_FFFFL;
    long count = buffer.getInt(position + BatchFormat.RECORD_COUNT_OFFSET) & 0xFFFF_FFFFL;
    return count * RecordCodec.MIN_RECORD <= length ? count : 0;
  }
}
