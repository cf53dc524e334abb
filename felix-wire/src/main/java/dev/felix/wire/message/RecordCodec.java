package dev.felix.wire.message;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The record layout shared by PublishBatch, EventBatch and (later) the storage segments, so that
 * records travel from publisher to log to subscriber without being re-encoded.
 *
 * <pre>
 *  offset  size  field
 *  0       4     length        u32, bytes of the record after this field (>= 15)
 *  4       1     attributes    bit 0 HAS_KEY; other bits reserved, must be 0
 *  5       4     offsetDelta   u32, record offset minus the batch base offset
 *  9       8     timestampMs   i64 epoch ms, >= 0 (0 in a publish: broker assigns)
 *  17      2+k   key           u16 length + bytes, only when HAS_KEY
 *  ..      2     headerCount   u16
 *  ..            headers       headerCount x (u16 nameLength, UTF-8 name, u16 valueLength, value)
 *  ..            payload       every byte left in the record
 * </pre>
 *
 * <p>The payload has no length of its own: it is the rest of the record, which removes a field that
 * could disagree with {@code length}.
 */
public final class RecordCodec {
  public static final int LENGTH_OFFSET = 0;
  public static final int ATTRIBUTES_OFFSET = 4;
  public static final int OFFSET_DELTA_OFFSET = 5;
  public static final int TIMESTAMP_OFFSET = 9;
  public static final int KEY_OFFSET = 17;

  /** Size of the length prefix. */
  public static final int LENGTH_PREFIX = 4;

  /** Bytes after the length prefix in a record without key, headers or payload. */
  public static final int MIN_BODY = 1 + 4 + 8 + 2;

  /** Smallest possible record including the length prefix. */
  public static final int MIN_RECORD = LENGTH_PREFIX + MIN_BODY;

  public static final int HAS_KEY = 1;
  static final int KNOWN_ATTRIBUTES = HAS_KEY;

  private RecordCodec() {}

  /** Encoded size of a record including its length prefix. */
  public static int encodedSize(
      int keyLength, boolean hasKey, List<Header> headers, int payloadLength) {
    long size = (long) MIN_RECORD + payloadLength;
    if (hasKey) {
      size += 2 + keyLength;
    }
    for (int i = 0; i < headers.size(); i++) {
      Header header = headers.get(i);
      size += 4 + utf8Length(header.name()) + header.value().length();
    }
    if (size > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("record too large: " + size + " bytes");
    }
    return (int) size;
  }

  public static int encodedSize(RecordData record) {
    return encodedSize(
        record.hasKey() ? record.key().length() : 0,
        record.hasKey(),
        record.headers(),
        record.payload().length());
  }

  /**
   * Writes one record at the buffer's position. The key and payload are copied from the remaining
   * bytes of the given buffers (which are not modified); {@code key} may be null. Allocation-free.
   */
  public static void write(
      ByteBuffer out,
      int offsetDelta,
      long timestampMs,
      ByteBuffer key,
      List<Header> headers,
      ByteBuffer payload) {
    int start = out.position();
    out.putInt(0);
    out.put((byte) (key != null ? HAS_KEY : 0));
    out.putInt(offsetDelta);
    out.putLong(timestampMs);
    if (key != null) {
      out.putShort((short) key.remaining());
      out.put(key.duplicate());
    }
    out.putShort((short) headers.size());
    for (int i = 0; i < headers.size(); i++) {
      Header header = headers.get(i);
      byte[] name = header.name().getBytes(StandardCharsets.UTF_8);
      out.putShort((short) name.length);
      out.put(name);
      out.putShort((short) header.value().length());
      header.value().writeTo(out);
    }
    out.put(payload.duplicate());
    out.putInt(start, out.position() - start - LENGTH_PREFIX);
  }

  /** Writes {@code record} with the given offset delta. */
  public static void write(ByteBuffer out, int offsetDelta, RecordData record) {
    write(
        out,
        offsetDelta,
        record.timestampMs(),
        record.hasKey() ? record.key().asReadOnlyBuffer() : null,
        record.headers(),
        record.payload().asReadOnlyBuffer());
  }

  /** True when {@code text} has no unpaired surrogate, so its UTF-8 length is exact. */
  static boolean isWellFormed(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /** UTF-8 length of a well-formed string (see {@link #isWellFormed}). */
  static int utf8Length(String text) {
    int bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
