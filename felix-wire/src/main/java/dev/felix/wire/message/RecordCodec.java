package dev.felix.wire.message;

import java.nio.BufferOverflowException;
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
   * bytes of the given buffers (which are not modified); {@code key} may be null. Allocation-free
   * except for header names (one UTF-8 array per header).
   */
  public static void write(
      ByteBuffer out,
      int offsetDelta,
      long timestampMs,
      ByteBuffer key,
      List<Header> headers,
      ByteBuffer payload) {
    int start = writeFixedFields(out, offsetDelta, timestampMs, key != null);
    if (key != null) {
      out.putShort((short) key.remaining());
      putRemaining(out, key);
    }
    writeHeaders(out, headers);
    putRemaining(out, payload);
    out.putInt(start, out.position() - start - LENGTH_PREFIX);
  }

  /**
   * Writes {@code record} with the given offset delta; key and payload are copied straight from
   * their arrays. Allocation-free except for header names, as above.
   */
  public static void write(ByteBuffer out, int offsetDelta, RecordData record) {
    int start = writeFixedFields(out, offsetDelta, record.timestampMs(), record.hasKey());
    if (record.hasKey()) {
      out.putShort((short) record.key().length());
      record.key().writeTo(out);
    }
    writeHeaders(out, record.headers());
    record.payload().writeTo(out);
    out.putInt(start, out.position() - start - LENGTH_PREFIX);
  }

  /** Writes the fixed fields with a length placeholder; returns the record's start position. */
  private static int writeFixedFields(
      ByteBuffer out, int offsetDelta, long timestampMs, boolean hasKey) {
    int start = out.position();
    out.putInt(0);
    out.put((byte) (hasKey ? HAS_KEY : 0));
    out.putInt(offsetDelta);
    out.putLong(timestampMs);
    return start;
  }

  private static void writeHeaders(ByteBuffer out, List<Header> headers) {
    out.putShort((short) headers.size());
    for (int i = 0; i < headers.size(); i++) {
      Header header = headers.get(i);
      byte[] name = header.name().getBytes(StandardCharsets.UTF_8);
      out.putShort((short) name.length);
      out.put(name);
      out.putShort((short) header.value().length());
      header.value().writeTo(out);
    }
  }

  /**
   * Copies the remaining bytes of {@code source} to {@code out} without moving {@code source}. An
   * absolute bulk put rather than {@code out.put(source.duplicate())}: that duplicate is a new
   * buffer per record which C2 removes only while the call site sees a single buffer class. Once
   * read-only and writable buffers both reach it, escape analysis gives up and every record
   * allocates a 56-byte view (seen with JMH {@code RecordCodecWriteBenchmark}, 1,024 records).
   */
  private static void putRemaining(ByteBuffer out, ByteBuffer source) {
    int length = source.remaining();
    int position = out.position();
    if (out.limit() - position < length) {
      throw new BufferOverflowException();
    }
    out.put(position, source, source.position(), length);
    out.position(position + length);
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
