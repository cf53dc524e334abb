package dev.felix.wire.message;

import dev.felix.wire.Bytes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A flyweight over a validated {@link RecordBatch}: {@link #next()} moves to the next record and
 * the accessors read its fields in place. Positions are absolute indexes into {@link #buffer()}, so
 * hot-path code reads keys and payloads without allocating; the {@code copy}/{@code to} methods
 * allocate and are for convenience.
 *
 * <p>Not thread-safe; create one cursor per reader.
 */
public final class RecordCursor {
  private final ByteBuffer buffer;
  private final int count;
  private int index = -1;
  private int nextPosition;
  private int recordPosition;
  private int recordEnd;
  private int keyPosition;
  private int keyLength;
  private int headerCountPosition;
  private int payloadPosition;

  RecordCursor(ByteBuffer buffer, int count) {
    this.buffer = buffer;
    this.count = count;
  }

  /** Moves to the next record; false when there is none. */
  public boolean next() {
    if (index + 1 >= count) {
      return false;
    }
    index++;
    recordPosition = nextPosition;
    recordEnd = recordPosition + RecordCodec.LENGTH_PREFIX + buffer.getInt(recordPosition);
    int cursor = recordPosition + RecordCodec.KEY_OFFSET;
    if (hasKey()) {
      keyLength = buffer.getShort(cursor) & 0xFFFF;
      keyPosition = cursor + 2;
      cursor = keyPosition + keyLength;
    } else {
      keyLength = -1;
      keyPosition = -1;
    }
    headerCountPosition = cursor;
    int headers = buffer.getShort(cursor) & 0xFFFF;
    cursor += 2;
    for (int h = 0; h < headers; h++) {
      cursor += 2 + (buffer.getShort(cursor) & 0xFFFF);
      cursor += 2 + (buffer.getShort(cursor) & 0xFFFF);
    }
    payloadPosition = cursor;
    nextPosition = recordEnd;
    return true;
  }

  /** Index of the current record in its batch. */
  public int index() {
    return index;
  }

  /** The buffer all positions refer to. */
  public ByteBuffer buffer() {
    return buffer;
  }

  public int offsetDelta() {
    return buffer.getInt(recordPosition + RecordCodec.OFFSET_DELTA_OFFSET);
  }

  public long timestampMs() {
    return buffer.getLong(recordPosition + RecordCodec.TIMESTAMP_OFFSET);
  }

  public boolean hasKey() {
    return (buffer.get(recordPosition + RecordCodec.ATTRIBUTES_OFFSET) & RecordCodec.HAS_KEY) != 0;
  }

  /** Absolute position of the key bytes, or -1 without a key. */
  public int keyPosition() {
    return keyPosition;
  }

  /** Key length, or -1 without a key. */
  public int keyLength() {
    return keyLength;
  }

  public int headerCount() {
    return buffer.getShort(headerCountPosition) & 0xFFFF;
  }

  public int payloadPosition() {
    return payloadPosition;
  }

  public int payloadLength() {
    return recordEnd - payloadPosition;
  }

  /** Absolute position of the record's length prefix: the record is forwarded from here. */
  public int recordPosition() {
    return recordPosition;
  }

  /** Size of the whole record including its length prefix. */
  public int recordSize() {
    return recordEnd - recordPosition;
  }

  public Bytes copyKey() {
    return keyLength < 0 ? null : copy(keyPosition, keyLength);
  }

  public Bytes copyPayload() {
    return copy(payloadPosition, payloadLength());
  }

  /** Decodes the headers into an immutable list (allocates, except for a record without any). */
  public List<Header> headers() {
    int headers = headerCount();
    if (headers == 0) {
      return List.of();
    }
    Header[] out = new Header[headers];
    int cursor = headerCountPosition + 2;
    for (int h = 0; h < headers; h++) {
      int nameLength = buffer.getShort(cursor) & 0xFFFF;
      byte[] name = new byte[nameLength];
      buffer.get(cursor + 2, name);
      cursor += 2 + nameLength;
      int valueLength = buffer.getShort(cursor) & 0xFFFF;
      out[h] = new Header(new String(name, StandardCharsets.UTF_8), copy(cursor + 2, valueLength));
      cursor += 2 + valueLength;
    }
    return List.of(out);
  }

  /** The current record as a value (allocates). */
  public RecordData toRecord() {
    return new RecordData(copyKey(), headers(), timestampMs(), copyPayload());
  }

  private Bytes copy(int position, int length) {
    byte[] bytes = new byte[length];
    buffer.get(position, bytes);
    return Bytes.wrap(bytes);
  }
}
