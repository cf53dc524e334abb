package dev.felix.wire;

import static dev.felix.wire.TestFrames.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.felix.error.ErrorCode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link FrameHeader#validate}: every field a receiver checks before buffering the payload. */
class FrameHeaderTest {
  private static final WireLimits LIMITS = WireLimits.DEFAULTS;

  /** A valid PING header announcing 8 payload bytes, request id 7 (no payload attached). */
  private static byte[] header() {
    return TestFrames.hex("4658 01 03 0000 00 00 00000008 00000007");
  }

  private static int validate(byte[] bytes) {
    return FrameHeader.validate(ByteBuffer.wrap(bytes), 0, LIMITS);
  }

  @Test
  void validHeaderYieldsItsPayloadLengthAndFields() {
    ByteBuffer buffer = ByteBuffer.wrap(header());

    assertThat(FrameHeader.validate(buffer, 0, LIMITS)).isEqualTo(8);
    assertThat(FrameHeader.type(buffer, 0)).isEqualTo(MessageType.PING);
    assertThat(FrameHeader.flags(buffer, 0)).isZero();
    assertThat(FrameHeader.payloadLength(buffer, 0)).isEqualTo(8);
    assertThat(FrameHeader.requestId(buffer, 0)).isEqualTo(7);
  }

  @Test
  void validatesAHeaderAtAnIndex() {
    byte[] bytes = new byte[5 + 16];
    System.arraycopy(header(), 0, bytes, 5, 16);

    assertThat(FrameHeader.validate(ByteBuffer.wrap(bytes), 5, LIMITS)).isEqualTo(8);
  }

  @Test
  void writeProducesTheHeaderLayout() {
    ByteBuffer buffer = ByteBuffer.allocate(20);

    FrameHeader.write(buffer, 2, MessageType.PING, 0, 8, 7);

    assertThat(buffer.position()).as("write does not move the position").isZero();
    byte[] written = new byte[16];
    buffer.get(2, written);
    assertThat(written).isEqualTo(header());
  }

  @ParameterizedTest
  @ValueSource(strings = {"4659", "5846", "0000", "ffff", "4758"})
  void badMagicIsMalformed(String magic) {
    byte[] bytes = header();
    System.arraycopy(TestFrames.hex(magic), 0, bytes, 0, 2);

    assertRejected(ErrorCode.MALFORMED_FRAME, () -> validate(bytes));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 2, 3, 0x7f, 0xff})
  void unsupportedVersionIsRejected(int version) {
    assertRejected(
        ErrorCode.UNSUPPORTED_VERSION,
        () -> validate(TestFrames.withByte(header(), FrameHeader.VERSION_OFFSET, version)));
  }

  static IntStream allTypeCodes() {
    return IntStream.range(0, 256);
  }

  @ParameterizedTest
  @MethodSource("allTypeCodes")
  void onlyTheDefinedTypeCodesAreAccepted(int code) {
    byte[] bytes = TestFrames.withByte(header(), FrameHeader.TYPE_OFFSET, code);

    if (MessageType.fromCode(code) != null) {
      assertThat(validate(bytes)).isEqualTo(8);
    } else {
      assertRejected(ErrorCode.UNKNOWN_MESSAGE_TYPE, () -> validate(bytes));
    }
  }

  static IntStream everyFlagBit() {
    return IntStream.range(0, 16).map(bit -> 1 << bit);
  }

  @ParameterizedTest
  @MethodSource("everyFlagBit")
  void everyFlagBitIsRejectedInV1(int flag) {
    ByteBuffer buffer = ByteBuffer.wrap(header());
    buffer.putShort(FrameHeader.FLAGS_OFFSET, (short) flag);

    assertRejected(ErrorCode.UNSUPPORTED_FEATURE, () -> FrameHeader.validate(buffer, 0, LIMITS));
  }

  @ParameterizedTest
  @ValueSource(
      ints = {
        FrameFlags.COMPRESSED,
        FrameFlags.ENCRYPTED,
        FrameFlags.COMPRESSED | FrameFlags.ENCRYPTED,
        FrameFlags.COMPRESSED | 0x8000,
        0xffff
      })
  void compressedAndEncryptedFramesAreNotNegotiableInV1(int flags) {
    ByteBuffer buffer = ByteBuffer.wrap(header());
    buffer.putShort(FrameHeader.FLAGS_OFFSET, (short) flags);

    assertRejected(ErrorCode.UNSUPPORTED_FEATURE, () -> FrameHeader.validate(buffer, 0, LIMITS));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 0x80, 0xff})
  void nonZeroCompressionCodecIsRejected(int codec) {
    assertRejected(
        ErrorCode.UNSUPPORTED_FEATURE,
        () -> validate(TestFrames.withByte(header(), FrameHeader.COMPRESSION_OFFSET, codec)));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 0x80, 0xff})
  void nonZeroReservedByteIsRejected(int reserved) {
    assertRejected(
        ErrorCode.UNSUPPORTED_FEATURE,
        () -> validate(TestFrames.withByte(header(), FrameHeader.RESERVED_OFFSET, reserved)));
  }

  @Test
  void payloadLengthUpToTheLimitIsAccepted() {
    ByteBuffer buffer = ByteBuffer.wrap(header());
    buffer.putInt(FrameHeader.LENGTH_OFFSET, LIMITS.maxFramePayloadBytes());

    assertThat(FrameHeader.validate(buffer, 0, LIMITS)).isEqualTo(LIMITS.maxFramePayloadBytes());
  }

  @ParameterizedTest
  @ValueSource(ints = {8 * 1024 * 1024 + 1, 0x7fffffff, 0x80000000, 0xffffffff})
  void payloadLengthAboveTheLimitIsFrameTooLarge(int length) {
    ByteBuffer buffer = ByteBuffer.wrap(header());
    buffer.putInt(FrameHeader.LENGTH_OFFSET, length);

    assertRejected(ErrorCode.FRAME_TOO_LARGE, () -> FrameHeader.validate(buffer, 0, LIMITS));
  }

  @Test
  void theLimitComesFromTheConfiguredWireLimits() {
    WireLimits small = new WireLimits(1024, 10, 16, 4, 16, 10);
    ByteBuffer buffer = ByteBuffer.wrap(header());
    buffer.putInt(FrameHeader.LENGTH_OFFSET, 1025);

    assertRejected(ErrorCode.FRAME_TOO_LARGE, () -> FrameHeader.validate(buffer, 0, small));
    assertThat(FrameHeader.validate(buffer, 0, LIMITS)).isEqualTo(1025);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 15})
  void fewerThanSixteenBytesAreMalformed(int length) {
    ByteBuffer buffer = ByteBuffer.wrap(header(), 0, length);

    assertRejected(ErrorCode.MALFORMED_FRAME, () -> FrameHeader.validate(buffer, 0, LIMITS));
  }

  @Test
  void theFirstViolationInHeaderOrderWins() {
    // bad magic + bad version + unknown type + flags + too large: the magic is reported.
    byte[] everythingWrong = TestFrames.hex("0000 09 ff ffff ff ff ffffffff 00000000");
    assertRejected(ErrorCode.MALFORMED_FRAME, () -> validate(everythingWrong));

    byte[] fromVersionOn =
        TestFrames.withByte(TestFrames.withByte(everythingWrong, 0, 0x46), 1, 0x58);
    assertRejected(ErrorCode.UNSUPPORTED_VERSION, () -> validate(fromVersionOn));

    byte[] fromTypeOn = TestFrames.withByte(fromVersionOn, FrameHeader.VERSION_OFFSET, 1);
    assertRejected(ErrorCode.UNKNOWN_MESSAGE_TYPE, () -> validate(fromTypeOn));

    byte[] fromFlagsOn = TestFrames.withByte(fromTypeOn, FrameHeader.TYPE_OFFSET, 3);
    assertRejected(ErrorCode.UNSUPPORTED_FEATURE, () -> validate(fromFlagsOn));

    byte[] onlyLength =
        TestFrames.hex("4658 01 03 0000 00 00 ffffffff 00000000"); // clean except the length
    assertRejected(ErrorCode.FRAME_TOO_LARGE, () -> validate(onlyLength));
  }

  @Test
  void littleEndianBuffersAreAProgrammingError() {
    ByteBuffer buffer = ByteBuffer.wrap(header()).order(ByteOrder.LITTLE_ENDIAN);

    assertThatIllegalArgumentException().isThrownBy(() -> FrameHeader.validate(buffer, 0, LIMITS));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> FrameHeader.write(buffer, 0, MessageType.OK, 0, 0, 0));
  }
}
