package dev.felix.wire;

import dev.felix.error.ErrorCode;
import dev.felix.error.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The fixed 16-byte header that starts every Felix frame. A receiver dispatches on it without
 * touching the payload. All multi-byte fields in Felix are big-endian (network order).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-------------------------------+---------------+---------------+
 * |         magic 0x4658 "FX"     |    version    |     type      |  0
 * +-------------------------------+---------------+---------------+
 * |             flags             | compression   |   reserved    |  4
 * +-------------------------------+---------------+---------------+
 * |                        payload length                         |  8
 * +---------------------------------------------------------------+
 * |                          request id                           | 12
 * +---------------------------------------------------------------+
 * </pre>
 *
 * <p>{@code flags} bits are listed in {@link FrameFlags}; any other bit is rejected. {@code
 * compression} names a codec and must be 0 unless the {@code COMPRESSED} flag was negotiated;
 * {@code reserved} must be 0. The request id is chosen by the requester and echoed by the response;
 * frames that answer nothing (events, pings initiated by the server) carry 0.
 */
public final class FrameHeader {
  /** "FX" in ASCII. */
  public static final short MAGIC = 0x4658;

  public static final int MAGIC_OFFSET = 0;
  public static final int VERSION_OFFSET = 2;
  public static final int TYPE_OFFSET = 3;
  public static final int FLAGS_OFFSET = 4;
  public static final int COMPRESSION_OFFSET = 6;
  public static final int RESERVED_OFFSET = 7;
  public static final int LENGTH_OFFSET = 8;
  public static final int REQUEST_ID_OFFSET = 12;

  /** Size of the header in bytes; the payload follows immediately. */
  public static final int LENGTH = 16;

  private FrameHeader() {}

  /** Writes a header at {@code index} of {@code buffer} without moving its position. */
  public static void write(
      ByteBuffer buffer, int index, MessageType type, int flags, int payloadLength, int requestId) {
    requireBigEndian(buffer);
    buffer.putShort(index + MAGIC_OFFSET, MAGIC);
    buffer.put(index + VERSION_OFFSET, (byte) ProtocolVersion.CURRENT);
    buffer.put(index + TYPE_OFFSET, (byte) type.code());
    buffer.putShort(index + FLAGS_OFFSET, (short) flags);
    buffer.put(index + COMPRESSION_OFFSET, (byte) 0);
    buffer.put(index + RESERVED_OFFSET, (byte) 0);
    buffer.putInt(index + LENGTH_OFFSET, payloadLength);
    buffer.putInt(index + REQUEST_ID_OFFSET, requestId);
  }

  /**
   * Validates the header at {@code index} and returns its payload length. Everything a receiver
   * must reject before waiting for the payload is checked here: magic, version, flags, reserved
   * bytes and the declared length against {@code limits}. The message type is checked too, so an
   * unknown type fails before its payload is buffered.
   *
   * @throws ProtocolException with the {@link ErrorCode} that names the violation
   */
  public static int validate(ByteBuffer buffer, int index, WireLimits limits) {
    requireBigEndian(buffer);
    if (buffer.limit() - index < LENGTH) {
      throw new ProtocolException(
          ErrorCode.MALFORMED_FRAME, "frame shorter than its 16-byte header");
    }
    short magic = buffer.getShort(index + MAGIC_OFFSET);
    if (magic != MAGIC) {
      throw new ProtocolException(
          ErrorCode.MALFORMED_FRAME, "bad magic 0x" + Integer.toHexString(magic & 0xFFFF));
    }
    int version = buffer.get(index + VERSION_OFFSET) & 0xFF;
    if (version != ProtocolVersion.CURRENT) {
      throw new ProtocolException(
          ErrorCode.UNSUPPORTED_VERSION, "protocol version " + version + " is not supported");
    }
    int typeCode = buffer.get(index + TYPE_OFFSET) & 0xFF;
    if (MessageType.fromCode(typeCode) == null) {
      throw new ProtocolException(
          ErrorCode.UNKNOWN_MESSAGE_TYPE,
          "unknown message type 0x" + Integer.toHexString(typeCode));
    }
    int flags = buffer.getShort(index + FLAGS_OFFSET) & 0xFFFF;
    FrameFlags.validate(flags);
    int compression = buffer.get(index + COMPRESSION_OFFSET) & 0xFF;
    if (compression != 0) {
      throw new ProtocolException(
          ErrorCode.UNSUPPORTED_FEATURE,
          "compression codec " + compression + " was not negotiated");
    }
    if (buffer.get(index + RESERVED_OFFSET) != 0) {
      throw new ProtocolException(ErrorCode.UNSUPPORTED_FEATURE, "reserved header byte is not 0");
    }
    long length = buffer.getInt(index + LENGTH_OFFSET) & 0xFFFF_FFFFL;
    if (length > limits.maxFramePayloadBytes()) {
      throw new ProtocolException(
          ErrorCode.FRAME_TOO_LARGE,
          "payload of "
              + length
              + " bytes exceeds the maximum of "
              + limits.maxFramePayloadBytes()
              + " bytes");
    }
    return (int) length;
  }

  private static void requireBigEndian(ByteBuffer buffer) {
    if (buffer.order() != ByteOrder.BIG_ENDIAN) {
      throw new IllegalArgumentException(
          "Felix frames are big-endian; got a " + buffer.order() + " buffer");
    }
  }

  /** The message type at {@code index}; call only after {@link #validate}. */
  public static MessageType type(ByteBuffer buffer, int index) {
    return MessageType.fromCode(buffer.get(index + TYPE_OFFSET) & 0xFF);
  }

  public static int flags(ByteBuffer buffer, int index) {
    return buffer.getShort(index + FLAGS_OFFSET) & 0xFFFF;
  }

  public static int payloadLength(ByteBuffer buffer, int index) {
    return buffer.getInt(index + LENGTH_OFFSET);
  }

  public static int requestId(ByteBuffer buffer, int index) {
    return buffer.getInt(index + REQUEST_ID_OFFSET);
  }
}
