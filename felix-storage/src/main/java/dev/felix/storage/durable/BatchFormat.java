package dev.felix.storage.durable;

import dev.felix.storage.log.ProducerStamp;
import dev.felix.wire.WireLimits;
import dev.felix.wire.message.RecordCodec;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The on-disk batch: one append, stored as a fixed header followed by the appended records in the
 * wire's {@link RecordCodec} layout. Big-endian, like the wire.
 *
 * <pre>
 *  offset  size  field
 *  0       4     length        u32, bytes after this field (32 + record bytes)
 *  4       4     magic         0x46584231 ("FXB1": Felix batch, format 1)
 *  8       4     crc           CRC32C of bytes 12 .. end of the batch
 *  12      4     attributes    reserved for compression and encryption; must be 0
 *  16      8     baseOffset    i64, offset of the first record
 *  24      4     recordCount   u32, >= 1
 *  28      8     maxTimestamp  i64, largest record timestamp in the batch
 *  36      ..    records       recordCount records, offset deltas 0 .. recordCount-1
 * </pre>
 *
 * <p>Format 2 ({@code "FXB2"}) is written for the appends of idempotent producers only. Its header
 * is {@value #HEADER_BYTES_V2} bytes: the format 1 fields at the same offsets, then the producer
 * stamp, then the records:
 *
 * <pre>
 *  36      8     producerId     i64, != 0
 *  44      8     firstSequence  i64, >= 0: producer sequence of the first record on this shard
 *  52      8     lastSequence   i64, >= firstSequence: of the last record on this shard
 *  60      ..    records
 * </pre>
 *
 * <p>Why in the batch and not in a side file: the stamp is then written, checksummed, forced and
 * truncated together with the records it describes, so after any crash the log holds a batch
 * exactly when it holds its stamp, and recovery can rebuild the producers' de-duplication windows
 * from the batches it reads anyway. Batches of other publishers keep format 1 and pay nothing.
 *
 * <p>Why this shape: the records are exactly the bytes a subscriber's event frame carries, so a
 * read copies them out with only their offset deltas renumbered. The CRC covers everything after
 * itself, including the base offset and count, so a batch that moved or was half overwritten never
 * checks out; length and magic are outside it but are checked exactly before anything is read.
 * {@code length} comes first (not the magic) so that a zero-filled tail, as left by preallocation
 * after a crash, fails at the first field.
 */
final class BatchFormat {
  static final int LENGTH_OFFSET = 0;
  static final int MAGIC_OFFSET = 4;
  static final int CRC_OFFSET = 8;
  static final int ATTRIBUTES_OFFSET = 12;
  static final int BASE_OFFSET_OFFSET = 16;
  static final int RECORD_COUNT_OFFSET = 24;
  static final int MAX_TIMESTAMP_OFFSET = 28;
  static final int HEADER_BYTES = 36;

  static final int PRODUCER_ID_OFFSET = 36;
  static final int FIRST_SEQUENCE_OFFSET = 44;
  static final int LAST_SEQUENCE_OFFSET = 52;

  /** Header size of a format 2 batch (with a producer stamp). */
  static final int HEADER_BYTES_V2 = 60;

  /** Start of the bytes the CRC covers. */
  static final int CRC_START = ATTRIBUTES_OFFSET;

  static final int MAGIC = 0x46584231;

  /** "FXB2": a batch with a producer stamp. */
  static final int MAGIC_V2 = 0x46584232;

  /**
   * Largest record bytes in one batch: the wire's absolute frame ceiling, so any publish fits. It
   * is a format constant, not configuration: readers use it to refuse a corrupt length before they
   * size a buffer by it.
   */
  static final int MAX_RECORD_BYTES = WireLimits.ABSOLUTE_MAX_FRAME_PAYLOAD_BYTES;

  static final int MIN_BATCH_BYTES = HEADER_BYTES + RecordCodec.MIN_RECORD;
  static final int MAX_BATCH_BYTES = HEADER_BYTES_V2 + MAX_RECORD_BYTES;

  private BatchFormat() {}

  /**
   * Header size for a batch magic, or -1 when the magic is not a batch format this reader knows.
   */
  static int headerBytes(int magic) {
    if (magic == MAGIC) {
      return HEADER_BYTES;
    }
    return magic == MAGIC_V2 ? HEADER_BYTES_V2 : -1;
  }

  /**
   * Writes the header of a batch whose records already sit right after the header ({@value
   * #HEADER_BYTES} bytes, or {@value #HEADER_BYTES_V2} with a stamp) in {@code buffer}, computing
   * the CRC over them. {@code stamp} null writes format 1.
   */
  static void writeHeader(
      ByteBuffer buffer,
      int start,
      int recordBytes,
      long baseOffset,
      int recordCount,
      long maxTimestamp,
      ProducerStamp stamp,
      CRC32C crc) {
    int headerBytes = stamp == null ? HEADER_BYTES : HEADER_BYTES_V2;
    buffer.putInt(start + LENGTH_OFFSET, headerBytes - 4 + recordBytes);
    buffer.putInt(start + MAGIC_OFFSET, stamp == null ? MAGIC : MAGIC_V2);
    if (stamp != null) {
      buffer.putLong(start + PRODUCER_ID_OFFSET, stamp.producerId());
      buffer.putLong(start + FIRST_SEQUENCE_OFFSET, stamp.firstSequence());
      buffer.putLong(start + LAST_SEQUENCE_OFFSET, stamp.lastSequence());
    }
    buffer.putInt(start + ATTRIBUTES_OFFSET, 0);
    buffer.putLong(start + BASE_OFFSET_OFFSET, baseOffset);
    buffer.putInt(start + RECORD_COUNT_OFFSET, recordCount);
    buffer.putLong(start + MAX_TIMESTAMP_OFFSET, maxTimestamp);
    buffer.putInt(
        start + CRC_OFFSET, crc(buffer, start + CRC_START, start + headerBytes + recordBytes, crc));
  }

  /** CRC32C of {@code buffer[from, to)}; leaves the buffer's position and limit as they were. */
  static int crc(ByteBuffer buffer, int from, int to, CRC32C crc) {
    int position = buffer.position();
    int limit = buffer.limit();
    crc.reset();
    buffer.position(0).limit(to).position(from);
    crc.update(buffer);
    buffer.limit(limit).position(position);
    return (int) crc.getValue();
  }
}
