package dev.felix.wire;

import static dev.felix.wire.TestFrames.assertDecodeRejected;
import static dev.felix.wire.TestFrames.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.error.ErrorCode;
import dev.felix.wire.message.AckMode;
import dev.felix.wire.message.CacheValue;
import dev.felix.wire.message.Ok;
import dev.felix.wire.message.Ping;
import dev.felix.wire.message.PublishBatch;
import dev.felix.wire.message.PublishTarget;
import dev.felix.wire.message.RecordBatch;
import dev.felix.wire.message.RecordData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Collections;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Frame-level decoding: the declared length against the bytes present, truncation and trailing
 * bytes for every golden vector, and buffer handling. Header fields are covered by {@link
 * FrameHeaderTest}, payload fields by the message tests.
 */
class FrameCodecTest {
  static Stream<String> vectorNames() {
    return GoldenVectors.expected().keySet().stream();
  }

  @Test
  void declaredLengthLargerThanTheBytesPresentIsMalformed() {
    byte[] ping = GoldenVectors.bytes("ping");
    ByteBuffer.wrap(ping).putInt(FrameHeader.LENGTH_OFFSET, 9);

    assertDecodeRejected(ErrorCode.MALFORMED_FRAME, ping);
  }

  @Test
  void declaredLengthSmallerThanTheBytesPresentIsMalformed() {
    byte[] ping = GoldenVectors.bytes("ping");
    ByteBuffer.wrap(ping).putInt(FrameHeader.LENGTH_OFFSET, 7);

    assertDecodeRejected(ErrorCode.MALFORMED_FRAME, ping);
  }

  @Test
  void declaredLengthAboveTheLimitIsFrameTooLargeEvenWithoutThePayload() {
    byte[] header = TestFrames.hex("4658 01 06 0000 00 00 00800001 00000001");

    assertDecodeRejected(ErrorCode.FRAME_TOO_LARGE, header);
  }

  @Test
  void aFrameAtTheConfiguredLimitDecodesAndOneByteMoreDoesNot() {
    WireLimits small = new WireLimits(1024, 10, 16, 4, 16, 10);
    FrameCodec codec = new FrameCodec(small);
    byte[] value = new byte[1024 - 21];
    byte[] atLimit = TestFrames.frame(MessageType.CACHE_VALUE, cacheHit(value));
    byte[] aboveLimit = TestFrames.frame(MessageType.CACHE_VALUE, cacheHit(new byte[1024 - 20]));

    assertThat(codec.limits()).isEqualTo(small);
    assertThat(codec.decode(atLimit).type()).isEqualTo(MessageType.CACHE_VALUE);
    assertRejected(ErrorCode.FRAME_TOO_LARGE, () -> codec.decode(aboveLimit));
  }

  private static byte[] cacheHit(byte[] value) {
    return PayloadBytes.create().u8(1).i64(1).i64(-1).bytes32(value).toArray();
  }

  @Test
  void aBatchOfTheDefaultMaximumRecordCountDecodesAndOneMoreExceedsIt() {
    int max = WireLimits.DEFAULTS.maxRecordsPerBatch();
    PublishTarget target = PublishTarget.of(GoldenVectors.ORDERS, AckMode.LEADER);
    RecordBatch full = RecordBatch.of(Collections.nCopies(max, RecordData.of("r")));
    RecordBatch oneMore = RecordBatch.of(Collections.nCopies(max + 1, RecordData.of("r")));

    byte[] frame = FrameCodec.encodeToArray(1, new PublishBatch(target, full));
    assertThat(((PublishBatch) TestFrames.decode(frame).message()).records().count())
        .isEqualTo(max);
    assertDecodeRejected(
        ErrorCode.LIMIT_EXCEEDED, FrameCodec.encodeToArray(1, new PublishBatch(target, oneMore)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectorNames")
  void everyTruncationOfEveryVectorIsMalformed(String name) {
    byte[] vector = GoldenVectors.bytes(name);

    for (int length = 0; length < vector.length; length++) {
      byte[] truncated = Arrays.copyOf(vector, length);
      assertDecodeRejected(ErrorCode.MALFORMED_FRAME, truncated);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectorNames")
  void everyTruncatedPayloadBehindAConsistentHeaderIsMalformed(String name) {
    byte[] vector = GoldenVectors.bytes(name);
    byte[] payload = TestFrames.payload(vector);

    // The header is rewritten to match, so the payload decoder itself must notice what is missing.
    for (int length = 0; length < payload.length; length++) {
      byte[] frame = TestFrames.frame(TestFrames.typeCode(vector), Arrays.copyOf(payload, length));
      assertDecodeRejected(ErrorCode.MALFORMED_FRAME, frame);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectorNames")
  void trailingPayloadBytesBehindAConsistentHeaderAreMalformed(String name) {
    byte[] vector = GoldenVectors.bytes(name);
    byte[] payload = TestFrames.payload(vector);

    for (int extra = 1; extra <= 3; extra++) {
      byte[] frame =
          TestFrames.frame(
              TestFrames.typeCode(vector), Arrays.copyOf(payload, payload.length + extra));
      assertDecodeRejected(ErrorCode.MALFORMED_FRAME, frame);
    }
  }

  @Test
  void bytesAfterTheFrameAreNotPartOfIt() {
    byte[] ping = GoldenVectors.bytes("ping");
    byte[] withNextFrameStart = Arrays.copyOf(ping, ping.length + 2);
    withNextFrameStart[ping.length] = 0x46;
    withNextFrameStart[ping.length + 1] = 0x58;

    // decode takes exactly one frame; callers split the stream first (FrameSplitter).
    assertDecodeRejected(ErrorCode.MALFORMED_FRAME, withNextFrameStart);
    ByteBuffer firstFrameOnly = ByteBuffer.wrap(withNextFrameStart, 0, ping.length);
    assertThat(TestFrames.CODEC.decode(firstFrameOnly).message())
        .isEqualTo(new Ping(0x0123_4567_89ab_cdefL));
  }

  @Test
  void decodesFromTheBufferPositionWithoutChangingTheBuffer() {
    byte[] ok = GoldenVectors.bytes("ok");
    byte[] padded = new byte[3 + ok.length + 4];
    System.arraycopy(ok, 0, padded, 3, ok.length);
    ByteBuffer buffer = ByteBuffer.wrap(padded, 3, ok.length);

    Frame frame = TestFrames.CODEC.decode(buffer);

    assertThat(frame).isEqualTo(new Frame(42, Ok.INSTANCE));
    assertThat(buffer.position()).isEqualTo(3);
    assertThat(buffer.limit()).isEqualTo(3 + ok.length);
  }

  @Test
  void decodesLittleEndianAndDirectBuffersAsBigEndian() {
    byte[] ping = GoldenVectors.bytes("ping");
    ByteBuffer littleEndian = ByteBuffer.wrap(ping).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer direct = ByteBuffer.allocateDirect(ping.length).put(ping).flip();

    assertThat(TestFrames.CODEC.decode(littleEndian)).isEqualTo(GoldenVectors.expected("ping"));
    assertThat(littleEndian.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
    assertThat(TestFrames.CODEC.decode(direct)).isEqualTo(GoldenVectors.expected("ping"));
  }

  @Test
  void decodedRecordBatchesAreViewsThatSurviveAsLongAsTheFrameBytes() {
    byte[] vector = GoldenVectors.bytes("publish-batch");

    PublishBatch batch = (PublishBatch) TestFrames.decode(vector).message();

    assertThat(batch.records().bytes().isReadOnly()).isTrue();
    assertThat(batch.records().toRecords())
        .isEqualTo(
            ((PublishBatch) GoldenVectors.expected("publish-batch").message())
                .records()
                .toRecords());
  }

  @Test
  void encodeReturnsAFrameFromPositionZeroToItsEnd() {
    ByteBuffer frame = FrameCodec.encode(42, Ok.INSTANCE);

    assertThat(frame.position()).isZero();
    assertThat(frame.remaining()).isEqualTo(FrameHeader.LENGTH);
    assertThat(frame.order()).isEqualTo(ByteOrder.BIG_ENDIAN);
  }

  @Test
  void encodeGrowsBeyondTheSizeHint() {
    byte[] large = new byte[100_000];
    Arrays.fill(large, (byte) 7);
    CacheValue value = CacheValue.hit(1, -1, Bytes.of(large));

    byte[] encoded = FrameCodec.encodeToArray(1, value);

    assertThat(encoded).hasSize(FrameHeader.LENGTH + 21 + large.length);
    assertThat(TestFrames.decode(encoded).message()).isEqualTo(value);
  }
}
