package dev.felix.wire.message;

import dev.felix.error.ErrorCode;
import dev.felix.error.ProtocolException;
import dev.felix.wire.WireLimits;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * An immutable run of encoded records (layout in {@link RecordCodec}) and their count. The bytes
 * are validated once, when the batch is built or decoded; after that a {@link RecordCursor} walks
 * them without checks and without allocating, and the same bytes can be forwarded into a log or an
 * event batch unchanged.
 */
public final class RecordBatch {
  /** Which offset-delta rule the batch follows. */
  public enum Kind {
    /** In a publish: offset delta i for the i-th record (the broker assigns real offsets). */
    PUBLISH,
    /** In an event batch: first delta 0, then strictly increasing (gaps allowed). */
    EVENT
  }

  public static final RecordBatch EMPTY = new RecordBatch(ByteBuffer.allocate(0), 0);

  private final ByteBuffer bytes;
  private final int count;

  private RecordBatch(ByteBuffer bytes, int count) {
    this.bytes = bytes.slice().order(ByteOrder.BIG_ENDIAN).asReadOnlyBuffer();
    this.count = count;
  }

  /** Encodes {@code records} with offset deltas 0..n-1 (valid as both kinds). */
  public static RecordBatch of(List<RecordData> records) {
    int size = 0;
    for (RecordData record : records) {
      size = Math.addExact(size, RecordCodec.encodedSize(record));
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    for (int i = 0; i < records.size(); i++) {
      RecordCodec.write(out, i, records.get(i));
    }
    out.flip();
    return new RecordBatch(out, records.size());
  }

  /**
   * Validates that {@code bytes} (position to limit) holds exactly {@code count} well-formed
   * records of {@code kind} within {@code limits}, and wraps them without copying.
   *
   * @throws ProtocolException naming the first violation
   */
  public static RecordBatch wrap(ByteBuffer bytes, int count, Kind kind, WireLimits limits) {
    if (count < 0 || count > limits.maxRecordsPerBatch()) {
      throw new ProtocolException(
          ErrorCode.LIMIT_EXCEEDED,
          "record count " + count + " exceeds the maximum of " + limits.maxRecordsPerBatch());
    }
    ByteBuffer view = bytes.slice().order(ByteOrder.BIG_ENDIAN);
    RecordValidator.validate(view, count, kind, limits);
    return new RecordBatch(view, count);
  }

  public int count() {
    return count;
  }

  /** Encoded size of all records in bytes. */
  public int sizeBytes() {
    return bytes.limit();
  }

  /** A read-only view of the encoded records (position 0); no copy. */
  public ByteBuffer bytes() {
    return bytes.duplicate().order(ByteOrder.BIG_ENDIAN);
  }

  /** A new cursor positioned before the first record. */
  public RecordCursor cursor() {
    return new RecordCursor(bytes(), count);
  }

  /** Decodes every record into values (allocates; not for the hot path). */
  public List<RecordData> toRecords() {
    List<RecordData> records = new ArrayList<>(count);
    RecordCursor cursor = cursor();
    while (cursor.next()) {
      records.add(cursor.toRecord());
    }
    return records;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RecordBatch that && count == that.count && bytes.equals(that.bytes);
  }

  @Override
  public int hashCode() {
    return 31 * count + bytes.hashCode();
  }

  @Override
  public String toString() {
    return "RecordBatch[count=" + count + ", bytes=" + bytes.limit() + "]";
  }
}
