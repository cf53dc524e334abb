package dev.felix.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Finds frame boundaries in a byte stream (a QUIC or TCP stream delivers bytes, not frames). The
 * header is validated as soon as its 16 bytes are present, so a peer that announces an oversized or
 * malformed frame is refused at once instead of being buffered.
 *
 * <p>Usage on a cumulative buffer: call {@link #nextFrameLength}; -1 means "wait for more bytes", a
 * positive value is the size of a complete frame starting at the buffer's position.
 */
public final class FrameSplitter {
  private final WireLimits limits;

  public FrameSplitter(WireLimits limits) {
    this.limits = limits;
  }

  /**
   * Size of the complete frame at {@code buffer}'s position, or -1 when more bytes are needed. The
   * buffer's position and limit are not changed.
   *
   * @throws dev.felix.error.ProtocolException when the header is invalid; the stream cannot be
   *     resynchronised after that and must be closed
   */
  public int nextFrameLength(ByteBuffer buffer) {
    int available = buffer.remaining();
    if (available < FrameHeader.LENGTH) {
      return -1;
    }
    ByteBuffer bigEndian =
        buffer.order() == ByteOrder.BIG_ENDIAN
            ? buffer
            : buffer.duplicate().order(ByteOrder.BIG_ENDIAN);
    int payloadLength = FrameHeader.validate(bigEndian, buffer.position(), limits);
    int frameLength = FrameHeader.LENGTH + payloadLength;
    return available >= frameLength ? frameLength : -1;
  }
}
