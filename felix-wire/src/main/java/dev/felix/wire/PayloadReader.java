package dev.felix.wire;

import dev.felix.error.ErrorCode;
import dev.felix.error.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Checked reads of one frame payload. Every read first checks the bytes that remain, every length
 * is checked against the remainder and a limit before anything is allocated, and every failure is a
 * {@link ProtocolException}: this is what makes decoding total.
 *
 * <p>Not thread-safe; one reader per payload.
 */
public final class PayloadReader {
  /** Names decoded before, shared by every reader (bounded; see NameCache). */
  private static final NameCache NAMES = new NameCache();

  private final ByteBuffer buffer;
  private final WireLimits limits;

  /** Reads {@code payload} from its position to its limit; the given buffer is not modified. */
  public PayloadReader(ByteBuffer payload, WireLimits limits) {
    this.buffer = payload.slice().order(ByteOrder.BIG_ENDIAN);
    this.limits = limits;
  }

  public WireLimits limits() {
    return limits;
  }

  /**
   * Names decoded in this JVM that were not in the shared name cache (each one allocated); the
   * server exports it as {@code felix_wire_name_cache_misses_total}.
   */
  public static long nameCacheMisses() {
    return NAMES.misses();
  }

  public int remaining() {
    return buffer.remaining();
  }

  public int u8(String field) {
    need(1, field);
    return buffer.get() & 0xFF;
  }

  public int u16(String field) {
    need(2, field);
    return buffer.getShort() & 0xFFFF;
  }

  /** An unsigned 32-bit value that must also fit a Java int (lengths, counts). */
  public int u32(String field) {
    need(4, field);
    int value = buffer.getInt();
    if (value < 0) {
      throw malformed(field + " " + (value & 0xFFFF_FFFFL) + " is out of range");
    }
    return value;
  }

  // The length readers name the field "<field> length" only when they throw: building that string
  // on every call was an allocation per decoded field.

  private int lengthU8(String field) {
    return buffer.remaining() >= 1 ? buffer.get() & 0xFF : u8(field + " length");
  }

  private int lengthU16(String field) {
    return buffer.remaining() >= 2 ? buffer.getShort() & 0xFFFF : u16(field + " length");
  }

  private int lengthU32(String field) {
    if (buffer.remaining() >= 4 && buffer.getInt(buffer.position()) >= 0) {
      return buffer.getInt();
    }
    return u32(field + " length");
  }

  public int i32(String field) {
    need(4, field);
    return buffer.getInt();
  }

  public long i64(String field) {
    need(8, field);
    return buffer.getLong();
  }

  /** A count, checked against {@code max} and against the minimum bytes each element needs. */
  public int count(String field, int max, int minBytesPerElement) {
    int count = u32(field);
    if (count > max) {
      throw new ProtocolException(
          ErrorCode.LIMIT_EXCEEDED, field + " " + count + " exceeds the maximum of " + max);
    }
    if ((long) count * minBytesPerElement > buffer.remaining()) {
      throw malformed(
          field + " " + count + " does not fit in the " + buffer.remaining() + " bytes left");
    }
    return count;
  }

  /** A resource name: u8 length + ASCII, validated by {@link Names}. */
  public String name(String field) {
    int length = lengthU8(field);
    need(length, field);
    int start = buffer.position();
    int hash = NameCache.hash(buffer, start, length);
    String known = NAMES.find(buffer, start, length, hash);
    if (known != null) {
      buffer.position(start + length);
      return known;
    }
    byte[] bytes = new byte[length];
    buffer.get(bytes);
    String name = Names.require(field, new String(bytes, StandardCharsets.ISO_8859_1));
    NAMES.remember(name);
    return name;
  }

  /** Like {@link #name} but length 0 means absent and yields null. */
  public String optionalName(String field) {
    int length = lengthU8(field);
    if (length == 0) {
      return null;
    }
    buffer.position(buffer.position() - 1);
    return name(field);
  }

  /** A UTF-8 string: u16 length + bytes, at most {@code maxBytes}; malformed UTF-8 is rejected. */
  public String string(String field, int maxBytes) {
    int length = lengthU16(field);
    if (length > maxBytes) {
      throw new ProtocolException(
          ErrorCode.LIMIT_EXCEEDED, field + " of " + length + " bytes exceeds " + maxBytes);
    }
    need(length, field);
    ByteBuffer bytes = buffer.slice();
    bytes.limit(length);
    buffer.position(buffer.position() + length);
    return decodeUtf8(bytes, field);
  }

  /** Bytes with a u16 length, at most {@code maxBytes}. */
  public Bytes bytes16(String field, int maxBytes) {
    return bytesOfLength(lengthU16(field), field, maxBytes);
  }

  /** Bytes with a u32 length, at most {@code maxBytes}. */
  public Bytes bytes32(String field, int maxBytes) {
    return bytesOfLength(lengthU32(field), field, maxBytes);
  }

  /** A read-only view of the next {@code length} bytes; no copy. */
  public ByteBuffer slice(int length, String field) {
    need(length, field);
    ByteBuffer view = buffer.slice().order(ByteOrder.BIG_ENDIAN);
    view.limit(length);
    buffer.position(buffer.position() + length);
    return view.asReadOnlyBuffer();
  }

  /** A read-only view of everything that is left. */
  public ByteBuffer rest() {
    return slice(buffer.remaining(), "rest");
  }

  /** Rejects trailing bytes: a v1 payload has exactly the fields of its layout. */
  public void expectEnd(String message) {
    if (buffer.hasRemaining()) {
      throw malformed(buffer.remaining() + " unexpected trailing bytes after " + message);
    }
  }

  /** Rejects set bits outside {@code allowed} in a flags field. */
  public static void requireKnownBits(int value, int allowed, String field) {
    if ((value & ~allowed) != 0) {
      throw new ProtocolException(
          ErrorCode.UNSUPPORTED_FEATURE,
          "unknown bits 0x" + Integer.toHexString(value & ~allowed) + " in " + field);
    }
  }

  private Bytes bytesOfLength(int length, String field, int maxBytes) {
    if (length > maxBytes) {
      throw new ProtocolException(
          ErrorCode.MESSAGE_TOO_LARGE, field + " of " + length + " bytes exceeds " + maxBytes);
    }
    need(length, field);
    byte[] bytes = new byte[length];
    buffer.get(bytes);
    return Bytes.wrap(bytes);
  }

  private void need(int bytes, String field) {
    if (bytes < 0 || buffer.remaining() < bytes) {
      throw malformed(
          "truncated " + field + ": needs " + bytes + " bytes, " + buffer.remaining() + " left");
    }
  }

  static String decodeUtf8(ByteBuffer bytes, String field) {
    try {
      CharBuffer chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(bytes);
      return chars.toString();
    } catch (CharacterCodingException e) {
      throw new ProtocolException(ErrorCode.MALFORMED_FRAME, field + " is not valid UTF-8", e);
    }
  }

  private static ProtocolException malformed(String message) {
    return new ProtocolException(ErrorCode.MALFORMED_FRAME, message);
  }
}
