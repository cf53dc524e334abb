package dev.felix.wire;

import dev.felix.error.ErrorCode;
import dev.felix.error.ProtocolException;
import dev.felix.wire.message.Message;
import dev.felix.wire.message.MessageDecoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Encodes messages into frames and decodes frames into messages. Pure: no I/O, no shared state,
 * safe to use from any thread.
 *
 * <p>Decoding is total: for any bytes it returns a {@link Frame} or throws {@link
 * ProtocolException} with the {@link ErrorCode} of the first violation. Nothing is allocated before
 * the length or count that sizes it has been checked against the bytes present and the {@link
 * WireLimits}.
 */
public final class FrameCodec {
  private final WireLimits limits;

  public FrameCodec(WireLimits limits) {
    this.limits = limits;
  }

  public WireLimits limits() {
    return limits;
  }

  /** Encodes {@code message} as one frame (position 0, limit = frame size). */
  public static ByteBuffer encode(int requestId, Message message) {
    PayloadWriter out = new PayloadWriter(FrameHeader.LENGTH + message.sizeHint()).beginFrame();
    message.encode(out);
    return out.finishFrame(message.type(), requestId);
  }

  /** Encodes {@code message} as a byte array (tests, tools). */
  public static byte[] encodeToArray(int requestId, Message message) {
    ByteBuffer frame = encode(requestId, message);
    byte[] bytes = new byte[frame.remaining()];
    frame.get(bytes);
    return bytes;
  }

  /**
   * Decodes exactly one frame occupying {@code frame} from its position to its limit. The buffer is
   * not modified; decoded record batches are views into it, so keep it unchanged while they are in
   * use.
   */
  public Frame decode(ByteBuffer frame) {
    ByteBuffer view = frame.slice().order(ByteOrder.BIG_ENDIAN);
    int payloadLength = FrameHeader.validate(view, 0, limits);
    int available = view.limit() - FrameHeader.LENGTH;
    if (available != payloadLength) {
      throw new ProtocolException(
          ErrorCode.MALFORMED_FRAME,
          "header declares a "
              + payloadLength
              + "-byte payload but the frame holds "
              + available
              + " bytes");
    }
    MessageType type = FrameHeader.type(view, 0);
    int requestId = FrameHeader.requestId(view, 0);
    view.position(FrameHeader.LENGTH);
    Message message = MessageDecoder.decode(type, new PayloadReader(view, limits));
    return new Frame(requestId, message);
  }

  /** Decodes a frame held in an array. */
  public Frame decode(byte[] frame) {
    return decode(ByteBuffer.wrap(frame));
  }
}
