package dev.felix.wire.message;

import dev.felix.error.ErrorCode;
import dev.felix.error.ProtocolException;
import dev.felix.wire.WireLimits;
import java.nio.ByteBuffer;

/**
 * The single structural check of a record run: every length is compared with the bytes that are
 * left before it is followed, so a hostile batch can neither read past its frame nor make the
 * receiver allocate. Runs once per batch, allocation-free.
 */
final class RecordValidator {
  private RecordValidator() {}

  static void validate(ByteBuffer records, int count, RecordBatch.Kind kind, WireLimits limits) {
    int position = 0;
    int end = records.limit();
    long previousDelta = -1;
    for (int index = 0; index < count; index++) {
      if (end - position < RecordCodec.MIN_RECORD) {
        throw malformed("record " + index + " is truncated");
      }
      int length = records.getInt(position);
      if (length < RecordCodec.MIN_BODY || length > end - position - RecordCodec.LENGTH_PREFIX) {
        throw malformed("record " + index + " has invalid length " + (length & 0xFFFF_FFFFL));
      }
      int bodyEnd = position + RecordCodec.LENGTH_PREFIX + length;
      int attributes = records.get(position + RecordCodec.ATTRIBUTES_OFFSET) & 0xFF;
      if ((attributes & ~RecordCodec.KNOWN_ATTRIBUTES) != 0) {
        throw new ProtocolException(
            ErrorCode.UNSUPPORTED_FEATURE,
            "record " + index + " has unknown attribute bits 0x" + Integer.toHexString(attributes));
      }
      long delta = records.getInt(position + RecordCodec.OFFSET_DELTA_OFFSET) & 0xFFFF_FFFFL;
      checkDelta(kind, index, delta, previousDelta);
      previousDelta = delta;
      long timestamp = records.getLong(position + RecordCodec.TIMESTAMP_OFFSET);
      if (timestamp < 0) {
        throw invalid("record " + index + " has negative timestamp " + timestamp);
      }
      int cursor = position + RecordCodec.KEY_OFFSET;
      if ((attributes & RecordCodec.HAS_KEY) != 0) {
        int keyLength = u16(records, cursor, bodyEnd, index, "key length");
        if (keyLength > limits.maxKeyBytes()) {
          throw new ProtocolException(
              ErrorCode.MESSAGE_TOO_LARGE,
              "record "
                  + index
                  + " key of "
                  + keyLength
                  + " bytes exceeds "
                  + limits.maxKeyBytes());
        }
        cursor = skip(cursor + 2, keyLength, bodyEnd, index, "key");
      }
      int headerCount = u16(records, cursor, bodyEnd, index, "header count");
      if (headerCount > limits.maxHeadersPerRecord()) {
        throw new ProtocolException(
            ErrorCode.LIMIT_EXCEEDED,
            "record "
                + index
                + " has "
                + headerCount
                + " headers, maximum "
                + limits.maxHeadersPerRecord());
      }
      cursor += 2;
      for (int h = 0; h < headerCount; h++) {
        int nameLength = u16(records, cursor, bodyEnd, index, "header name length");
        if (nameLength == 0 || nameLength > Header.MAX_NAME_BYTES) {
          throw invalid("record " + index + " header name length " + nameLength + " not in 1-255");
        }
        int nameStart = cursor + 2;
        cursor = skip(nameStart, nameLength, bodyEnd, index, "header name");
        if (!Utf8.isValid(records, nameStart, nameLength)) {
          throw malformed("record " + index + " header name is not valid UTF-8");
        }
        int valueLength = u16(records, cursor, bodyEnd, index, "header value length");
        cursor = skip(cursor + 2, valueLength, bodyEnd, index, "header value");
      }
      position = bodyEnd;
    }
    if (position != end) {
      throw malformed((end - position) + " trailing bytes after " + count + " records");
    }
  }

  private static void checkDelta(RecordBatch.Kind kind, int index, long delta, long previous) {
    if (kind == RecordBatch.Kind.PUBLISH) {
      if (delta != index) {
        throw invalid(
            "publish record " + index + " has offset delta " + delta + ", expected " + index);
      }
    } else if (delta > Integer.MAX_VALUE) {
      // Like every u32 in Felix (PayloadReader.u32), a delta must fit a Java int: RecordCursor
      // returns it as one, so a larger delta would read back negative.
      throw malformed("event record " + index + " has offset delta " + delta + ", out of range");
    } else if (index == 0 ? delta != 0 : delta <= previous) {
      throw invalid("event record " + index + " has offset delta " + delta + " after " + previous);
    }
  }

  private static int u16(ByteBuffer records, int at, int bodyEnd, int index, String field) {
    if (bodyEnd - at < 2) {
      throw malformed("record " + index + " " + field + " is truncated");
    }
    return records.getShort(at) & 0xFFFF;
  }

  private static int skip(int at, int length, int bodyEnd, int index, String field) {
    if (bodyEnd - at < length) {
      throw malformed("record " + index + " " + field + " overruns the record");
    }
    return at + length;
  }

  private static ProtocolException malformed(String message) {
    return new ProtocolException(ErrorCode.MALFORMED_FRAME, message);
  }

  private static ProtocolException invalid(String message) {
    return new ProtocolException(ErrorCode.INVALID_ARGUMENT, message);
  }
}
