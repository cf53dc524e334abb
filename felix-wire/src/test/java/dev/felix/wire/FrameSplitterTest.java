package dev.felix.wire;

import static dev.felix.wire.TestFrames.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.error.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link FrameSplitter#nextFrameLength} on partial, complete, concatenated and bad input. */
class FrameSplitterTest {
  private final FrameSplitter splitter = new FrameSplitter(WireLimits.DEFAULTS);

  @Test
  void returnsMinusOneUntilTheWholeFrameIsPresent() {
    byte[] frame = GoldenVectors.bytes("publish-key-headers");

    for (int length = 0; length < frame.length; length++) {
      ByteBuffer partial = ByteBuffer.wrap(frame, 0, length);
      assertThat(splitter.nextFrameLength(partial)).as("with %d bytes", length).isEqualTo(-1);
    }
    assertThat(splitter.nextFrameLength(ByteBuffer.wrap(frame))).isEqualTo(frame.length);
  }

  @Test
  void anEmptyPayloadFrameIsCompleteWithItsHeader() {
    byte[] ok = GoldenVectors.bytes("ok");

    assertThat(splitter.nextFrameLength(ByteBuffer.wrap(ok))).isEqualTo(FrameHeader.LENGTH);
  }

  @Test
  void doesNotMoveTheBufferPositionOrLimit() {
    byte[] frame = GoldenVectors.bytes("ping");
    ByteBuffer buffer = ByteBuffer.wrap(frame, 0, 20);

    assertThat(splitter.nextFrameLength(buffer)).isEqualTo(-1);
    assertThat(buffer.position()).isZero();
    assertThat(buffer.limit()).isEqualTo(20);
  }

  @Test
  void aBadHeaderIsRejectedAsSoonAsSixteenBytesArePresent() {
    byte[] badMagic = TestFrames.withByte(GoldenVectors.bytes("hello"), 0, 0x47);

    for (int length = 0; length < FrameHeader.LENGTH; length++) {
      ByteBuffer partial = ByteBuffer.wrap(badMagic, 0, length);
      assertThat(splitter.nextFrameLength(partial)).as("with %d bytes", length).isEqualTo(-1);
    }
    ByteBuffer headerOnly = ByteBuffer.wrap(badMagic, 0, FrameHeader.LENGTH);
    assertRejected(ErrorCode.MALFORMED_FRAME, () -> splitter.nextFrameLength(headerOnly));
  }

  @Test
  void eachHeaderViolationIsReportedWithItsCodeBeforeThePayloadArrives() {
    byte[] hello = GoldenVectors.bytes("hello");

    assertRejected(
        ErrorCode.UNSUPPORTED_VERSION,
        () -> splitter.nextFrameLength(header(TestFrames.withByte(hello, 2, 2))));
    assertRejected(
        ErrorCode.UNKNOWN_MESSAGE_TYPE,
        () -> splitter.nextFrameLength(header(TestFrames.withByte(hello, 3, 0x7f))));
    assertRejected(
        ErrorCode.UNSUPPORTED_FEATURE,
        () -> splitter.nextFrameLength(header(TestFrames.withByte(hello, 5, 1))));
    assertRejected(
        ErrorCode.UNSUPPORTED_FEATURE,
        () -> splitter.nextFrameLength(header(TestFrames.withByte(hello, 6, 1))));
    assertRejected(
        ErrorCode.UNSUPPORTED_FEATURE,
        () -> splitter.nextFrameLength(header(TestFrames.withByte(hello, 7, 1))));
  }

  @Test
  void anOversizedFrameIsRefusedFromItsHeaderAlone() {
    byte[] header = TestFrames.hex("4658 01 11 0000 00 00 7fffffff 00000001");

    assertRejected(
        ErrorCode.FRAME_TOO_LARGE, () -> splitter.nextFrameLength(ByteBuffer.wrap(header)));
  }

  @Test
  void theLimitIsTheSplittersOwn() {
    FrameSplitter small = new FrameSplitter(new WireLimits(1024, 10, 16, 4, 16, 10));
    byte[] header = TestFrames.hex("4658 01 34 0000 00 00 00000401 00000001");

    assertRejected(ErrorCode.FRAME_TOO_LARGE, () -> small.nextFrameLength(ByteBuffer.wrap(header)));
    assertThat(splitter.nextFrameLength(ByteBuffer.wrap(header))).isEqualTo(-1);
  }

  @Test
  void findsEveryVectorInTheirConcatenation() {
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    List<Integer> expectedLengths = new ArrayList<>();
    for (byte[] vector : GoldenVectors.allBytes().values()) {
      stream.write(vector, 0, vector.length);
      expectedLengths.add(vector.length);
    }
    ByteBuffer buffer = ByteBuffer.wrap(stream.toByteArray());

    List<Integer> lengths = new ArrayList<>();
    int length;
    while ((length = splitter.nextFrameLength(buffer)) > 0) {
      lengths.add(length);
      ByteBuffer frame = buffer.slice();
      frame.limit(length);
      assertThat(TestFrames.CODEC.decode(frame)).isNotNull();
      buffer.position(buffer.position() + length);
    }

    assertThat(lengths).isEqualTo(expectedLengths);
    assertThat(buffer.hasRemaining()).isFalse();
  }

  @Test
  void readsTheFrameAtTheBufferPosition() {
    byte[] ping = GoldenVectors.bytes("ping");
    byte[] padded = new byte[7 + ping.length];
    System.arraycopy(ping, 0, padded, 7, ping.length);
    ByteBuffer buffer = ByteBuffer.wrap(padded);
    buffer.position(7);

    assertThat(splitter.nextFrameLength(buffer)).isEqualTo(ping.length);
  }

  @Test
  void readsLittleEndianBuffersAsBigEndian() {
    ByteBuffer buffer = ByteBuffer.wrap(GoldenVectors.bytes("ping")).order(ByteOrder.LITTLE_ENDIAN);

    assertThat(splitter.nextFrameLength(buffer)).isEqualTo(24);
    assertThat(buffer.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
  }

  private static ByteBuffer header(byte[] frame) {
    return ByteBuffer.wrap(frame, 0, FrameHeader.LENGTH);
  }
}
