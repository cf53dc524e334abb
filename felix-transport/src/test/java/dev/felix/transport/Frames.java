package dev.felix.transport;

import dev.felix.wire.FrameHeader;
import dev.felix.wire.MessageType;
import java.nio.ByteBuffer;

/** Raw test frames: a valid header and a payload whose bytes derive from the request id. */
final class Frames {
  private Frames() {}

  /**
   * A frame of type PUBLISH carrying {@code payloadBytes} pattern bytes; the transport never
   * decodes it.
   */
  static ByteBuffer frame(int requestId, int payloadBytes) {
    ByteBuffer frame = ByteBuffer.allocate(FrameHeader.LENGTH + payloadBytes);
    FrameHeader.write(frame, 0, MessageType.PUBLISH, 0, payloadBytes, requestId);
    for (int i = 0; i < payloadBytes; i++) {
      frame.put(FrameHeader.LENGTH + i, (byte) (requestId + i));
    }
    return frame;
  }

  /** A header announcing {@code payloadBytes} (possibly over the limit) with no payload. */
  static ByteBuffer header(int requestId, int payloadBytes) {
    ByteBuffer frame = ByteBuffer.allocate(FrameHeader.LENGTH);
    FrameHeader.write(frame, 0, MessageType.PUBLISH, 0, payloadBytes, requestId);
    return frame;
  }

  static int requestId(ByteBuffer frame) {
    return FrameHeader.requestId(frame, 0);
  }

  static int payloadLength(ByteBuffer frame) {
    return FrameHeader.payloadLength(frame, 0);
  }

  /** True when the payload holds the pattern {@link #frame} wrote. */
  static boolean intact(ByteBuffer frame) {
    int requestId = requestId(frame);
    int length = payloadLength(frame);
    if (frame.remaining() != FrameHeader.LENGTH + length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (frame.get(FrameHeader.LENGTH + i) != (byte) (requestId + i)) {
        return false;
      }
    }
    return true;
  }
}
