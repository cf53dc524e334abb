package dev.felix.wire.message;

import static dev.felix.wire.TestFrames.assertDecodeRejected;
import static dev.felix.wire.TestFrames.assertRejected;
import static dev.felix.wire.TestFrames.decode;
import static dev.felix.wire.TestFrames.frame;
import static dev.felix.wire.message.RecordBatchTest.plain;
import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.error.ErrorCode;
import dev.felix.wire.FrameCodec;
import dev.felix.wire.MessageType;
import dev.felix.wire.PayloadBytes;
import dev.felix.wire.WireLimits;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Subscribe, Subscribed, Unsubscribe, EventBatch and EventsDropped payloads that break a rule. */
class SubscriptionMessagesTest {
  private static PayloadBytes subscribe(int shard, int startKind, long startValue, int options) {
    return PayloadBytes.create().orders().i32(shard).u8(startKind).i64(startValue).u8(options);
  }

  private static byte[] subscribe(int startKind, long startValue) {
    return subscribe(-1, startKind, startValue, 0).u8(0).u32(0).toArray();
  }

  @Test
  void everyStartKindDecodes() {
    assertThat(decode(frame(MessageType.SUBSCRIBE, subscribe(0, 0))).message())
        .extracting(m -> ((Subscribe) m).start())
        .isEqualTo(StartPosition.LATEST);
    assertThat(decode(frame(MessageType.SUBSCRIBE, subscribe(3, 1_700_000_000_000L))).message())
        .extracting(m -> ((Subscribe) m).start())
        .isEqualTo(StartPosition.timestamp(1_700_000_000_000L));
  }

  @ParameterizedTest
  @ValueSource(ints = {4, 5, 0xff})
  void unknownStartKindsAreInvalid(int kind) {
    assertDecodeRejected(
        ErrorCode.INVALID_ARGUMENT, frame(MessageType.SUBSCRIBE, subscribe(kind, 0)));
  }

  @Test
  void latestAndEarliestTakeNoValueAndOffsetsAreNonNegative() {
    assertDecodeRejected(ErrorCode.INVALID_ARGUMENT, frame(MessageType.SUBSCRIBE, subscribe(0, 5)));
    assertDecodeRejected(ErrorCode.INVALID_ARGUMENT, frame(MessageType.SUBSCRIBE, subscribe(1, 1)));
    assertDecodeRejected(
        ErrorCode.INVALID_ARGUMENT, frame(MessageType.SUBSCRIBE, subscribe(2, -1)));
    assertDecodeRejected(
        ErrorCode.INVALID_ARGUMENT, frame(MessageType.SUBSCRIBE, subscribe(3, Long.MIN_VALUE)));
  }

  @ParameterizedTest
  @ValueSource(ints = {4, 5, 6, 0x80, 0xff})
  void unknownOptionBitsAreUnsupported(int options) {
    byte[] payload = subscribe(-1, 1, 0, options).u8(0).u32(0).toArray();

    assertDecodeRejected(ErrorCode.UNSUPPORTED_FEATURE, frame(MessageType.SUBSCRIBE, payload));
  }

  @ParameterizedTest
  @ValueSource(ints = {-2, Integer.MIN_VALUE})
  void subscribeShardBelowMinusOneIsInvalid(int shard) {
    byte[] payload = subscribe(shard, 1, 0, 0).u8(0).u32(0).toArray();

    assertDecodeRejected(ErrorCode.INVALID_ARGUMENT, frame(MessageType.SUBSCRIBE, payload));
  }

  @ParameterizedTest
  @ValueSource(strings = {"a b", "..", "g/1", "\u00e9"})
  void invalidGroupNamesAreInvalid(String group) {
    byte[] payload = subscribe(-1, 1, 0, 0).name(group).u32(0).toArray();

    assertDecodeRejected(ErrorCode.INVALID_ARGUMENT, frame(MessageType.SUBSCRIBE, payload));
  }

  @Test
  void groupNamesUpTo128CharactersAreAccepted() {
    byte[] max = subscribe(-1, 1, 0, 0).name("g".repeat(128)).u32(0).toArray();
    byte[] tooLong = subscribe(-1, 1, 0, 0).name("g".repeat(129)).u32(0).toArray();

    assertThat(((Subscribe) decode(frame(MessageType.SUBSCRIBE, max)).message()).group())
        .hasSize(128);
    assertDecodeRejected(ErrorCode.INVALID_ARGUMENT, frame(MessageType.SUBSCRIBE, tooLong));
  }

  @Test
  void aCursorNameFollowsTheGroupFieldWhenTheBitIsSet() {
    byte[] payload = subscribe(-1, 1, 0, Subscribe.CURSOR).u8(0).name("reporter").u32(0).toArray();

    Subscribe decoded = (Subscribe) decode(frame(MessageType.SUBSCRIBE, payload)).message();

    assertThat(decoded.cursor()).isEqualTo("reporter");
    assertThat(decoded.hasGroup()).isFalse();
    assertThat(decoded.start()).isEqualTo(StartPosition.EARLIEST);
  }

  @Test
  void theCursorBitNeedsAValidName() {
    // Without a name field the u32 after the group is read as a length-0 name: invalid, not absent.
    byte[] missing = subscribe(-1, 1, 0, Subscribe.CURSOR).u8(0).u32(0).toArray();
    byte[] empty = subscribe(-1, 1, 0, Subscribe.CURSOR).u8(0).u8(0).u32(0).toArray();
    byte[] badName = subscribe(-1, 1, 0, Subscribe.CURSOR).u8(0).name("a b").u32(0).toArray();
    byte[] truncated = subscribe(-1, 1, 0, Subscribe.CURSOR).u8(0).u8(8).toArray();

    assertDecodeRejected(ErrorCode.INVALID_ARGUMENT, frame(MessageType.SUBSCRIBE, missing));
    assertDecodeRejected(ErrorCode.INVALID_ARGUMENT, frame(MessageType.SUBSCRIBE, empty));
    assertDecodeRejected(ErrorCode.INVALID_ARGUMENT, frame(MessageType.SUBSCRIBE, badName));
    assertDecodeRejected(ErrorCode.MALFORMED_FRAME, frame(MessageType.SUBSCRIBE, truncated));
  }

  @Test
  void aCursorWithAGroupIsInvalid() {
    byte[] payload =
        subscribe(-1, 1, 0, Subscribe.CURSOR).name("billing").name("reporter").u32(0).toArray();

    assertDecodeRejected(ErrorCode.INVALID_ARGUMENT, frame(MessageType.SUBSCRIBE, payload));
  }

  @Test
  void aCursorNameWithoutTheBitIsTrailingBytes() {
    byte[] payload = subscribe(-1, 1, 0, 0).u8(0).name("reporter").u32(0).toArray();

    assertDecodeRejected(ErrorCode.MALFORMED_FRAME, frame(MessageType.SUBSCRIBE, payload));
  }

  private static PayloadBytes cursorCommit(String cursor) {
    return PayloadBytes.create().orders().name(cursor);
  }

  @Test
  void cursorCommitsDecode() {
    byte[] payload = cursorCommit("reporter").u32(1).i32(2).i64(40).toArray();

    assertThat(decode(frame(MessageType.CURSOR_COMMIT, payload)).message())
        .isEqualTo(
            new CursorCommit(
                new StreamRef("acme", "prod", "orders"),
                "reporter",
                List.of(new ShardOffset(2, 40))));
  }

  @Test
  void cursorCommitsThatBreakARuleAreRejected() {
    assertDecodeRejected(
        ErrorCode.INVALID_ARGUMENT,
        frame(MessageType.CURSOR_COMMIT, cursorCommit("reporter").u32(0).toArray()));
    assertDecodeRejected(
        ErrorCode.INVALID_ARGUMENT,
        frame(MessageType.CURSOR_COMMIT, cursorCommit("a b").u32(1).i32(0).i64(1).toArray()));
    assertDecodeRejected(
        ErrorCode.INVALID_ARGUMENT,
        frame(MessageType.CURSOR_COMMIT, cursorCommit("r").u32(1).i32(-1).i64(1).toArray()));
    assertDecodeRejected(
        ErrorCode.INVALID_ARGUMENT,
        frame(MessageType.CURSOR_COMMIT, cursorCommit("r").u32(1).i32(0).i64(-1).toArray()));
    assertDecodeRejected(
        ErrorCode.INVALID_ARGUMENT,
        frame(
            MessageType.CURSOR_COMMIT,
            cursorCommit("r").u32(2).i32(0).i64(1).i32(0).i64(2).toArray()));
    assertDecodeRejected(
        ErrorCode.MALFORMED_FRAME,
        frame(MessageType.CURSOR_COMMIT, cursorCommit("r").u32(2).i32(0).i64(1).toArray()));
    assertDecodeRejected(
        ErrorCode.MALFORMED_FRAME,
        frame(MessageType.CURSOR_COMMIT, cursorCommit("r").u32(1).i32(0).i64(1).u8(0).toArray()));
    assertDecodeRejected(
        ErrorCode.LIMIT_EXCEEDED,
        frame(MessageType.CURSOR_COMMIT, cursorCommit("r").u32(10_001).i32(0).i64(1).toArray()));
  }

  @Test
  void maxInFlightAboveTheLargestIntIsMalformed() {
    byte[] payload = subscribe(-1, 1, 0, 0).u8(0).u32(0x8000_0000L).toArray();

    assertDecodeRejected(ErrorCode.MALFORMED_FRAME, frame(MessageType.SUBSCRIBE, payload));
  }

  @Test
  void subscriptionIdsStartAtOne() {
    assertDecodeRejected(ErrorCode.INVALID_ARGUMENT, frame(MessageType.UNSUBSCRIBE, "00000000"));
    assertDecodeRejected(ErrorCode.MALFORMED_FRAME, frame(MessageType.UNSUBSCRIBE, "80000000"));
    assertDecodeRejected(
        ErrorCode.INVALID_ARGUMENT, frame(MessageType.SUBSCRIBED, "00000000 00000000"));
    assertThat(decode(frame(MessageType.UNSUBSCRIBE, "7fffffff")).message())
        .isEqualTo(new Unsubscribe(Integer.MAX_VALUE));
  }

  @Test
  void subscribedMayListNoShardButNotInvalidOnes() {
    assertThat(decode(frame(MessageType.SUBSCRIBED, "00000001 00000000")).message())
        .isEqualTo(new Subscribed(1, List.of()));
    assertDecodeRejected(
        ErrorCode.INVALID_ARGUMENT,
        frame(MessageType.SUBSCRIBED, "00000001 00000001 ffffffff 0000000000000000"));
    assertDecodeRejected(
        ErrorCode.INVALID_ARGUMENT,
        frame(MessageType.SUBSCRIBED, "00000001 00000001 00000000 ffffffffffffffff"));
    assertDecodeRejected(
        ErrorCode.MALFORMED_FRAME,
        frame(MessageType.SUBSCRIBED, "00000001 00000002 00000000 0000000000000000"));
  }

  @Test
  void subscribedShardCountAboveTheLimitIsRejected() {
    FrameCodec small = new FrameCodec(new WireLimits(1024, 10, 16, 4, 16, 1));
    byte[] two =
        frame(MessageType.SUBSCRIBED, "00000001 00000002" + " 00000000 0000000000000000".repeat(2));

    assertRejected(ErrorCode.LIMIT_EXCEEDED, () -> small.decode(two));
  }

  private static PayloadBytes eventBatch(
      int subscriptionId, int shard, long baseOffset, long count) {
    return PayloadBytes.create().u32(subscriptionId).orders().i32(shard).i64(baseOffset).u32(count);
  }

  @Test
  void anEventBatchNeedsRecords() {
    assertDecodeRejected(
        ErrorCode.INVALID_ARGUMENT,
        frame(MessageType.EVENT_BATCH, eventBatch(1, 0, 0, 0).toArray()));
  }

  @Test
  void anEventBatchNeedsASubscriptionAShardAndAnOffset() {
    assertDecodeRejected(
        ErrorCode.INVALID_ARGUMENT,
        frame(MessageType.EVENT_BATCH, eventBatch(0, 0, 0, 1).raw(plain(0, "")).toArray()));
    assertDecodeRejected(
        ErrorCode.INVALID_ARGUMENT,
        frame(MessageType.EVENT_BATCH, eventBatch(1, -1, 0, 1).raw(plain(0, "")).toArray()));
    assertDecodeRejected(
        ErrorCode.INVALID_ARGUMENT,
        frame(MessageType.EVENT_BATCH, eventBatch(1, 0, -1, 1).raw(plain(0, "")).toArray()));
  }

  @Test
  void eventBatchDeltasFollowTheEventRule() {
    assertDecodeRejected(
        ErrorCode.INVALID_ARGUMENT,
        frame(MessageType.EVENT_BATCH, eventBatch(1, 0, 0, 1).raw(plain(3, "")).toArray()));
    assertDecodeRejected(
        ErrorCode.INVALID_ARGUMENT,
        frame(
            MessageType.EVENT_BATCH,
            eventBatch(1, 0, 0, 2).raw(plain(0, "")).raw(plain(0, "")).toArray()));
    EventBatch gaps =
        (EventBatch)
            decode(
                    frame(
                        MessageType.EVENT_BATCH,
                        eventBatch(1, 0, 10, 2).raw(plain(0, "")).raw(plain(40, "")).toArray()))
                .message();
    assertThat(gaps.records().count()).isEqualTo(2);
  }

  @Test
  void eventBatchCountAboveTheLimitIsRejected() {
    assertDecodeRejected(
        ErrorCode.LIMIT_EXCEEDED,
        frame(MessageType.EVENT_BATCH, eventBatch(1, 0, 0, 10_001).raw(plain(0, "")).toArray()));
    assertDecodeRejected(
        ErrorCode.MALFORMED_FRAME,
        frame(MessageType.EVENT_BATCH, eventBatch(1, 0, 0, 3).raw(plain(0, "")).toArray()));
  }

  @Test
  void eventsDroppedNeedsAShardADropAndANextOffset() {
    assertDecodeRejected(
        ErrorCode.INVALID_ARGUMENT,
        frame(MessageType.EVENTS_DROPPED, "00000001 ffffffff 0000000000000001 0000000000000000"));
    assertDecodeRejected(
        ErrorCode.INVALID_ARGUMENT,
        frame(MessageType.EVENTS_DROPPED, "00000001 00000000 0000000000000000 0000000000000000"));
    assertDecodeRejected(
        ErrorCode.INVALID_ARGUMENT,
        frame(MessageType.EVENTS_DROPPED, "00000001 00000000 0000000000000001 ffffffffffffffff"));
    assertDecodeRejected(
        ErrorCode.INVALID_ARGUMENT,
        frame(MessageType.EVENTS_DROPPED, "00000000 00000000 0000000000000001 0000000000000000"));
  }
}
