package dev.felix.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.felix.error.ErrorCode;
import dev.felix.error.ProtocolException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * Builds frames byte by byte for tests, independently of {@link FrameHeader#write} and {@link
 * PayloadWriter}, so that a bug in the encoder cannot hide the same bug in a test's input.
 */
public final class TestFrames {
  public static final FrameCodec CODEC = new FrameCodec(WireLimits.DEFAULTS);

  private TestFrames() {}

  /** Hex with whitespace and {@code #} comments allowed. */
  public static byte[] hex(String text) {
    return HexFormat.parse(text);
  }

  /** A v1 frame with no flags, the given type code, request id 0 and a matching length. */
  public static byte[] frame(int typeCode, byte[] payload) {
    return frame(typeCode, payload, 0);
  }

  public static byte[] frame(MessageType type, byte[] payload) {
    return frame(type.code(), payload, 0);
  }

  public static byte[] frame(MessageType type, String payloadHex) {
    return frame(type.code(), hex(payloadHex), 0);
  }

  public static byte[] frame(int typeCode, byte[] payload, int requestId) {
    ByteBuffer out = ByteBuffer.allocate(16 + payload.length);
    out.put((byte) 0x46).put((byte) 0x58); // magic "FX"
    out.put((byte) 1); // version
    out.put((byte) typeCode);
    out.put((byte) 0).put((byte) 0); // flags
    out.put((byte) 0); // compression
    out.put((byte) 0); // reserved
    out.putInt(payload.length);
    out.putInt(requestId);
    out.put(payload);
    return out.array();
  }

  /** The payload of a frame (everything after the 16-byte header). */
  public static byte[] payload(byte[] frame) {
    return Arrays.copyOfRange(frame, 16, frame.length);
  }

  /** The type byte of a frame. */
  public static int typeCode(byte[] frame) {
    return frame[3] & 0xFF;
  }

  /** A copy of {@code frame} with the byte at {@code index} replaced. */
  public static byte[] withByte(byte[] frame, int index, int value) {
    byte[] copy = frame.clone();
    copy[index] = (byte) value;
    return copy;
  }

  /** Decodes with {@link WireLimits#DEFAULTS}. */
  public static Frame decode(byte[] frame) {
    return CODEC.decode(frame);
  }

  /** Asserts that {@code call} throws a {@link ProtocolException} carrying exactly {@code code}. */
  public static void assertRejected(ErrorCode code, ThrowingCallable call) {
    assertThatExceptionOfType(ProtocolException.class)
        .isThrownBy(call)
        .satisfies(
            e -> assertThat(e.code()).as("error code of: %s", e.getMessage()).isEqualTo(code));
  }

  /** Asserts that decoding {@code frame} with the default limits fails with {@code code}. */
  public static void assertDecodeRejected(ErrorCode code, byte[] frame) {
    assertRejected(code, () -> decode(frame));
  }
}
