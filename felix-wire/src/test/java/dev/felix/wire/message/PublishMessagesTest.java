package dev.felix.wire.message;

import static dev.felix.wire.TestFrames.assertDecodeRejected;
import static dev.felix.wire.TestFrames.assertRejected;
import static dev.felix.wire.TestFrames.decode;
import static dev.felix.wire.TestFrames.frame;
import static dev.felix.wire.message.RecordBatchTest.plain;
import static dev.felix.wire.message.RecordBatchTest.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.felix.error.ErrorCode;
import dev.felix.wire.Bytes;
import dev.felix.wire.Frame;
import dev.felix.wire.FrameCodec;
import dev.felix.wire.MessageType;
import dev.felix.wire.PayloadBytes;
import dev.felix.wire.WireLimits;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Decoding Publish, PublishBatch and PublishAck payloads that break a rule. */
class PublishMessagesTest {
  /** A valid PublishTarget: acme/prod/orders, any shard, no producer, LEADER. */
  private static PayloadBytes target() {
    return target(-1, 0, 0, 1);
  }

  private static PayloadBytes target(int shard, long producerId, long sequence, int ackMode) {
    return PayloadBytes.create().orders().i32(shard).i64(producerId).i64(sequence).u8(ackMode);
  }

  @Test
  void aPublishBatchFrameWrittenStraightFromRecordsEqualsTheEncodedMessage() {
    PublishTarget target =
        new PublishTarget(
            new StreamRef("acme", "orders", "created"), 3, 77L, 1000L, AckMode.LEADER);
    List<RecordData> records =
        List.of(
            RecordData.of("first"),
            new RecordData(
                Bytes.utf8("key"), List.of(Header.of("h", "v")), 1234L, Bytes.utf8("second")),
            new RecordData(null, List.of(), 0, Bytes.EMPTY));

    ByteBuffer direct = PublishBatch.encodeFrame(42, target, records);
    ByteBuffer viaMessage =
        FrameCodec.encode(42, new PublishBatch(target, RecordBatch.of(records)));

    assertThat(direct).isEqualTo(viaMessage);
    Frame decoded = new FrameCodec(WireLimits.DEFAULTS).decode(direct);
    assertThat(decoded.requestId()).isEqualTo(42);
    assertThat(((PublishBatch) decoded.message()).records().count()).isEqualTo(3);
    assertThatThrownBy(() -> PublishBatch.encodeFrame(1, target, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ackModeTwoIsTheReservedQuorumAndUnsupported() {
    byte[] payload = target(-1, 0, 0, 2).raw(plain(0, "")).toArray();

    assertDecodeRejected(ErrorCode.UNSUPPORTED_FEATURE, frame(MessageType.PUBLISH, payload));
    byte[] batch = target(-1, 0, 0, 2).u32(1).raw(plain(0, "")).toArray();
    assertDecodeRejected(ErrorCode.UNSUPPORTED_FEATURE, frame(MessageType.PUBLISH_BATCH, batch));
  }

  @ParameterizedTest
  @ValueSource(ints = {3, 4, 0x7f, 0xff})
  void unknownAckModesAreInvalid(int ackMode) {
    byte[] payload = target(-1, 0, 0, ackMode).raw(plain(0, "")).toArray();

    assertDecodeRejected(ErrorCode.INVALID_ARGUMENT, frame(MessageType.PUBLISH, payload));
  }

  @ParameterizedTest
  @ValueSource(ints = {-2, -100, Integer.MIN_VALUE})
  void shardsBelowMinusOneAreInvalid(int shard) {
    byte[] payload = target(shard, 0, 0, 1).raw(plain(0, "")).toArray();

    assertDecodeRejected(ErrorCode.INVALID_ARGUMENT, frame(MessageType.PUBLISH, payload));
  }

  @Test
  void producerIdAndSequenceMustBeNonNegativeAndSequenceNeedsAProducer() {
    for (long[] ids : new long[][] {{-1, 0}, {Long.MIN_VALUE, 0}, {5, -1}, {0, 5}}) {
      byte[] payload = target(0, ids[0], ids[1], 1).raw(plain(0, "")).toArray();
      assertDecodeRejected(ErrorCode.INVALID_ARGUMENT, frame(MessageType.PUBLISH, payload));
    }
    byte[] idempotent = target(0, Long.MAX_VALUE, Long.MAX_VALUE, 0).raw(plain(0, "")).toArray();
    assertThat(((Publish) decode(frame(MessageType.PUBLISH, idempotent)).message()).target())
        .isEqualTo(
            new PublishTarget(
                new StreamRef("acme", "prod", "orders"),
                0,
                Long.MAX_VALUE,
                Long.MAX_VALUE,
                AckMode.NONE));
  }

  /** A Publish of one plain record to {@code tenant/namespace/stream}, names unchecked. */
  private static byte[] publishTo(String tenant, String namespace, String stream) {
    return PayloadBytes.create()
        .ref(tenant, namespace, stream)
        .i32(-1)
        .i64(0)
        .i64(0)
        .u8(1)
        .raw(plain(0, ""))
        .toArray();
  }

  @ParameterizedTest
  @ValueSource(strings = {"a/b", "..", ".", "has space", "caf\u00e9", "\u0000", "x:y", ""})
  void invalidNamesAreInvalidArgumentsInEveryPosition(String name) {
    assertDecodeRejected(
        ErrorCode.INVALID_ARGUMENT, frame(MessageType.PUBLISH, publishTo(name, "prod", "orders")));
    assertDecodeRejected(
        ErrorCode.INVALID_ARGUMENT, frame(MessageType.PUBLISH, publishTo("acme", name, "orders")));
    assertDecodeRejected(
        ErrorCode.INVALID_ARGUMENT, frame(MessageType.PUBLISH, publishTo("acme", "prod", name)));
  }

  @Test
  void namesOf128CharactersAreAcceptedAndLongerOnesAreInvalid() {
    byte[] maxLength = publishTo("t".repeat(128), "n".repeat(128), "s".repeat(128));
    byte[] tooLong = publishTo("acme", "prod", "s".repeat(129));

    StreamRef stream =
        ((Publish) decode(frame(MessageType.PUBLISH, maxLength)).message()).target().stream();
    assertThat(stream).isEqualTo(new StreamRef("t".repeat(128), "n".repeat(128), "s".repeat(128)));
    assertDecodeRejected(ErrorCode.INVALID_ARGUMENT, frame(MessageType.PUBLISH, tooLong));
  }

  @Test
  void aNameLengthBeyondThePayloadIsMalformed() {
    byte[] payload = PayloadBytes.create().u8(4).hex("6163").toArray();

    assertDecodeRejected(ErrorCode.MALFORMED_FRAME, frame(MessageType.PUBLISH, payload));
  }

  @Test
  void aPublishHoldsExactlyOneRecordWithDeltaZero() {
    assertDecodeRejected(ErrorCode.MALFORMED_FRAME, frame(MessageType.PUBLISH, target().toArray()));
    assertDecodeRejected(
        ErrorCode.MALFORMED_FRAME,
        frame(MessageType.PUBLISH, target().raw(plain(0, "")).raw(plain(1, "")).toArray()));
    assertDecodeRejected(
        ErrorCode.INVALID_ARGUMENT,
        frame(MessageType.PUBLISH, target().raw(plain(1, "")).toArray()));
  }

  @Test
  void publishRecordsAreValidatedLikeBatchRecords() {
    byte[] rest = PayloadBytes.create().u16(0).toArray();

    assertDecodeRejected(
        ErrorCode.INVALID_ARGUMENT,
        frame(MessageType.PUBLISH, target().raw(record(0, 0, -1, rest)).toArray()));
    assertDecodeRejected(
        ErrorCode.UNSUPPORTED_FEATURE,
        frame(MessageType.PUBLISH, target().raw(record(0x80, 0, 0, rest)).toArray()));
  }

  @Test
  void aPublishBatchNeedsAtLeastOneRecord() {
    assertDecodeRejected(
        ErrorCode.INVALID_ARGUMENT, frame(MessageType.PUBLISH_BATCH, target().u32(0).toArray()));
  }

  @Test
  void aPublishBatchCountAboveTheLimitIsRejectedBeforeTheRecordsAreRead() {
    assertDecodeRejected(
        ErrorCode.LIMIT_EXCEEDED,
        frame(MessageType.PUBLISH_BATCH, target().u32(10_001).raw(plain(0, "")).toArray()));
    FrameCodec small = new FrameCodec(new WireLimits(1024, 2, 16, 4, 16, 10));
    byte[] three = target().u32(3).raw(plain(0, "")).raw(plain(1, "")).raw(plain(2, "")).toArray();
    assertRejected(
        ErrorCode.LIMIT_EXCEEDED, () -> small.decode(frame(MessageType.PUBLISH_BATCH, three)));
  }

  @Test
  void aPublishBatchCountThatCannotFitThePayloadIsMalformed() {
    // 5 records need at least 5 x 19 bytes; only two are present.
    assertDecodeRejected(
        ErrorCode.MALFORMED_FRAME,
        frame(
            MessageType.PUBLISH_BATCH,
            target().u32(5).raw(plain(0, "")).raw(plain(1, "")).toArray()));
    assertDecodeRejected(
        ErrorCode.MALFORMED_FRAME,
        frame(MessageType.PUBLISH_BATCH, target().u32(0x8000_0000L).raw(plain(0, "")).toArray()));
  }

  @Test
  void aPublishBatchCountMustMatchItsRecords() {
    byte[] twoRecords = target().u32(1).raw(plain(0, "")).raw(plain(1, "")).toArray();
    byte[] threeDeclared =
        target().u32(3).raw(plain(0, "aa")).raw(plain(1, "bb")).raw(new byte[2]).toArray();

    assertDecodeRejected(ErrorCode.MALFORMED_FRAME, frame(MessageType.PUBLISH_BATCH, twoRecords));
    assertDecodeRejected(
        ErrorCode.MALFORMED_FRAME, frame(MessageType.PUBLISH_BATCH, threeDeclared));
  }

  @Test
  void aPublishBatchNeedsDeltasZeroToNMinusOne() {
    byte[] payload = target().u32(2).raw(plain(0, "")).raw(plain(0, "")).toArray();

    assertDecodeRejected(ErrorCode.INVALID_ARGUMENT, frame(MessageType.PUBLISH_BATCH, payload));
  }

  private static PayloadBytes range(long recordCount, int errorCode, int shard, long baseOffset) {
    return PayloadBytes.create().u32(recordCount).u16(errorCode).i32(shard).i64(baseOffset);
  }

  @Test
  void aPublishAckNeedsARange() {
    assertDecodeRejected(ErrorCode.INVALID_ARGUMENT, frame(MessageType.PUBLISH_ACK, "00000000"));
  }

  @Test
  void aPublishAckRangeCountAboveTheLimitIsRejected() {
    FrameCodec small = new FrameCodec(new WireLimits(1024, 10, 16, 4, 16, 2));
    PayloadBytes three = PayloadBytes.create().u32(3);
    for (int i = 0; i < 3; i++) {
      three.raw(range(1, 0, 0, i).toArray());
    }

    assertRejected(
        ErrorCode.LIMIT_EXCEEDED,
        () -> small.decode(frame(MessageType.PUBLISH_ACK, three.toArray())));
  }

  @Test
  void aPublishAckRangeMustCoverARecord() {
    byte[] payload = PayloadBytes.create().u32(1).raw(range(0, 0, 0, 0).toArray()).toArray();

    assertDecodeRejected(ErrorCode.INVALID_ARGUMENT, frame(MessageType.PUBLISH_ACK, payload));
  }

  @Test
  void aSuccessfulRangeNeedsAShardAndOffset() {
    byte[] noShard = PayloadBytes.create().u32(1).raw(range(1, 0, -1, 0).toArray()).toArray();
    byte[] noOffset = PayloadBytes.create().u32(1).raw(range(1, 0, 0, -1).toArray()).toArray();
    byte[] failed = PayloadBytes.create().u32(1).raw(range(2, 401, -1, -1).toArray()).toArray();

    assertDecodeRejected(ErrorCode.INVALID_ARGUMENT, frame(MessageType.PUBLISH_ACK, noShard));
    assertDecodeRejected(ErrorCode.INVALID_ARGUMENT, frame(MessageType.PUBLISH_ACK, noOffset));
    PublishAck ack = (PublishAck) decode(frame(MessageType.PUBLISH_ACK, failed)).message();
    assertThat(ack.ranges().get(0).isSuccess()).isFalse();
    assertThat(ack.recordCount()).isEqualTo(2);
  }

  @Test
  void aPublishAckRecordCountAboveTheLargestIntIsMalformed() {
    byte[] payload =
        PayloadBytes.create().u32(1).raw(range(0x8000_0000L, 0, 0, 0).toArray()).toArray();

    assertDecodeRejected(ErrorCode.MALFORMED_FRAME, frame(MessageType.PUBLISH_ACK, payload));
  }
}
