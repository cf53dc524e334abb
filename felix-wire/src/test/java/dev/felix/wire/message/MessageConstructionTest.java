package dev.felix.wire.message;

import static dev.felix.wire.TestFrames.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.error.LimitException;
import dev.felix.wire.Bytes;
import dev.felix.wire.FrameCodec;
import dev.felix.wire.TestFrames;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The sending side: what a message refuses to be built from, so that whatever can be encoded is
 * accepted by the decoder. Wire-level rules raise {@link dev.felix.error.ProtocolException} (the
 * same rule the decoder applies); encoding limits of the layout raise {@link
 * IllegalArgumentException}.
 */
class MessageConstructionTest {
  private static final StreamRef ORDERS = new StreamRef("acme", "prod", "orders");

  @Test
  void textFieldsRefuseUnpairedSurrogatesAndOverlongText() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Hello(1, 1, 0, "bad\ud800", Bytes.EMPTY));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Hello(1, 1, 0, "\udc00", Bytes.EMPTY));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Hello(1, 1, 0, "x".repeat(256), Bytes.EMPTY));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new GoAway(GoAway.Reason.IDLE, 0, "", "\u00e9".repeat(513)));
    assertThatIllegalArgumentException().isThrownBy(() -> new ErrorReply(1, "e".repeat(4097)));
    assertThatNullPointerException().isThrownBy(() -> new HelloOk(1, 0, null, "r", 1, 1, 1, 1, 1));
  }

  @Test
  void helloVersionsAreChecked() {
    assertRejected(ErrorCode.INVALID_ARGUMENT, () -> new Hello(0, 1, 0, "", Bytes.EMPTY));
    assertRejected(ErrorCode.INVALID_ARGUMENT, () -> new Hello(2, 1, 0, "", Bytes.EMPTY));
    assertRejected(ErrorCode.INVALID_ARGUMENT, () -> new Hello(1, 256, 0, "", Bytes.EMPTY));
  }

  @Test
  void headersNeedANameOfOneTo255BytesAndAValueOfAtMost65535() {
    assertThatIllegalArgumentException().isThrownBy(() -> new Header("", Bytes.EMPTY));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Header("\u2603".repeat(85) + "x", Bytes.EMPTY));
    assertThatIllegalArgumentException().isThrownBy(() -> new Header("\ud83d", Bytes.EMPTY));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Header("h", Bytes.wrap(new byte[65_536])));
    assertThat(new Header("\u2603".repeat(85), Bytes.wrap(new byte[65_535])).name()).hasSize(85);
  }

  @Test
  void recordsRefuseNegativeTimestampsAndOversizedKeys() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new RecordData(null, List.of(), -1, Bytes.EMPTY));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new RecordData(Bytes.wrap(new byte[65_536]), List.of(), 0, Bytes.EMPTY));
    assertThatNullPointerException().isThrownBy(() -> new RecordData(null, List.of(), 0, null));
  }

  @Test
  void batchesAndListsMustNotBeEmpty() {
    PublishTarget target = PublishTarget.of(ORDERS, AckMode.LEADER);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new PublishBatch(target, RecordBatch.of(List.of())));
    assertRejected(
        ErrorCode.INVALID_ARGUMENT, () -> new EventBatch(1, ORDERS, 0, 0, RecordBatch.EMPTY));
    assertRejected(ErrorCode.INVALID_ARGUMENT, () -> new PublishAck(List.of()));
    assertRejected(ErrorCode.INVALID_ARGUMENT, () -> new QueueAck(1, List.of()));
    assertRejected(ErrorCode.INVALID_ARGUMENT, () -> new QueueNack(1, 0, List.of()));
    assertRejected(
        ErrorCode.INVALID_ARGUMENT, () -> new CacheMultiGet(CacheRef.of("c"), List.of()));
    assertRejected(
        ErrorCode.INVALID_ARGUMENT, () -> new CacheMultiPut(CacheRef.of("c"), List.of()));
  }

  @Test
  void eventBatchesRefuseNegativeShardsAndOffsets() {
    RecordBatch one = RecordBatch.of(List.of(RecordData.of("x")));

    assertRejected(ErrorCode.INVALID_ARGUMENT, () -> new EventBatch(1, ORDERS, -1, 0, one));
    assertRejected(ErrorCode.INVALID_ARGUMENT, () -> new EventBatch(1, ORDERS, 0, -1, one));
    assertRejected(ErrorCode.INVALID_ARGUMENT, () -> new EventBatch(0, ORDERS, 0, 0, one));
    assertRejected(ErrorCode.INVALID_ARGUMENT, () -> EventBatch.encodeShared(ORDERS, -1, 0, one));
    assertRejected(
        ErrorCode.INVALID_ARGUMENT, () -> EventBatch.encodeShared(ORDERS, 0, 0, RecordBatch.EMPTY));
  }

  @Test
  void cacheMessagesCheckKeysTtlsAndVersions() {
    CacheRef cache = CacheRef.of("c");
    assertRejected(ErrorCode.INVALID_ARGUMENT, () -> new CacheGet(cache, Bytes.EMPTY));
    assertRejected(
        ErrorCode.INVALID_ARGUMENT, () -> new CachePut(cache, Bytes.utf8("k"), Bytes.EMPTY, -1));
    assertRejected(
        ErrorCode.INVALID_ARGUMENT,
        () -> new CacheCompareAndSet(cache, Bytes.utf8("k"), -1, Bytes.EMPTY, 0));
    assertRejected(
        ErrorCode.INVALID_ARGUMENT, () -> new CacheDelete(cache, Bytes.wrap(new byte[65_536])));
    assertRejected(ErrorCode.INVALID_ARGUMENT, () -> CacheValue.hit(0, -1, Bytes.EMPTY));
    assertRejected(ErrorCode.INVALID_ARGUMENT, () -> new CacheValue(false, 0, 5, Bytes.EMPTY));
    assertRejected(ErrorCode.INVALID_ARGUMENT, () -> new CacheValue(false, 0, -1, Bytes.utf8("v")));
    assertRejected(ErrorCode.INVALID_ARGUMENT, () -> CacheValue.hit(1, -2, Bytes.EMPTY));
    assertThat(CacheRef.of("c")).hasToString("default/default/c");
    assertThat(StreamRef.of("s")).hasToString("default/default/s");
  }

  @Test
  void errorReplyOfCarriesTheCodeAndText() {
    ErrorReply reply = ErrorReply.of(new LimitException(ErrorCode.BACKPRESSURE, "slow down"));

    assertThat(reply.code()).isEqualTo(401);
    assertThat(reply.message()).isEqualTo("slow down");
    assertThat(reply.toException()).isInstanceOf(LimitException.class).hasMessage("slow down");
    assertThat(ErrorReply.of(new FelixException(ErrorCode.INTERNAL, null)).message()).isEmpty();
  }

  @Test
  void errorReplyOfTruncatesLongTextToWhatFits() {
    ErrorReply reply = ErrorReply.of(new FelixException(ErrorCode.INTERNAL, "\u2603".repeat(5000)));

    assertThat(reply.message()).hasSize(ErrorReply.MAX_MESSAGE_BYTES / 3);
    byte[] frame = FrameCodec.encodeToArray(1, reply);
    assertThat(TestFrames.decode(frame).message()).isEqualTo(reply);
  }

  @Test
  void errorReplyOfNeverSplitsASurrogatePair() {
    // 1364 chars, then emoji (two chars each): the 1365-char cut falls inside a pair.
    String text = "a".repeat(1364) + "\ud83d\ude00".repeat(10);

    ErrorReply reply = ErrorReply.of(new FelixException(ErrorCode.INTERNAL, text));

    assertThat(reply.message()).isEqualTo("a".repeat(1364));
    assertThat(TestFrames.decode(FrameCodec.encodeToArray(1, reply)).message()).isEqualTo(reply);
  }

  @Test
  void errorReplyOfReplacesUnpairedSurrogatesInsteadOfFailing() {
    ErrorReply reply =
        ErrorReply.of(
            new FelixException(ErrorCode.INTERNAL, "bad \ud800 and \udc00 ok \ud83d\ude00"));

    assertThat(reply.message()).isEqualTo("bad ? and ? ok \ud83d\ude00");
  }

  @Test
  void u8FieldsOutOfRangeAreRefusedInsteadOfTruncated() {
    HelloOk tooHighVersion = new HelloOk(256, 0, "s", "r", 1024, 1, 1, 1, 1);

    // Before the fix the version was written as (byte) 256 == 0 and decoded as a different message.
    assertThatIllegalArgumentException()
        .isThrownBy(() -> FrameCodec.encodeToArray(1, tooHighVersion));
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> FrameCodec.encodeToArray(1, new HelloOk(-1, 0, "s", "r", 1024, 1, 1, 1, 1)));
    HelloOk max = new HelloOk(255, 0, "s", "r", 1024, 1, 1, 1, 1);
    assertThat(TestFrames.decode(FrameCodec.encodeToArray(1, max)).message()).isEqualTo(max);
  }

  @Test
  void u32FieldsOutOfRangeAreRefusedAtEncoding() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> FrameCodec.encodeToArray(1, new GoAway(GoAway.Reason.IDLE, -1, "", "")));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> FrameCodec.encodeToArray(1, new HelloOk(1, 0, "s", "r", -1, 1, 1, 1, 1)));
  }

  @Test
  void publishAckHelpers() {
    PublishAck ack =
        new PublishAck(
            List.of(
                PublishAck.Range.appended(0, 10, 3),
                PublishAck.Range.failed(ErrorCode.STORAGE_FULL, 2)));

    assertThat(ack.recordCount()).isEqualTo(5);
    assertThat(ack.ranges().get(0).isSuccess()).isTrue();
    assertThat(ack.ranges().get(1).errorCode()).isEqualTo(501);
    assertThat(PublishAck.appended(1, 2, 3).ranges())
        .containsExactly(new PublishAck.Range(3, 0, 1, 2));
    assertThatIllegalArgumentException().isThrownBy(() -> new PublishAck.Range(1, 0x10000, -1, -1));
  }

  @Test
  void subscribeHelpers() {
    Subscribe plain = Subscribe.of(ORDERS, StartPosition.LATEST);

    assertThat(plain.hasGroup()).isFalse();
    assertThat(plain.shard()).isEqualTo(-1);
    assertRejected(
        ErrorCode.UNSUPPORTED_FEATURE,
        () -> new Subscribe(ORDERS, -1, StartPosition.LATEST, 4, null, 0));
    assertRejected(
        ErrorCode.INVALID_ARGUMENT,
        () -> new Subscribe(ORDERS, -1, StartPosition.LATEST, 0, "a b", 0));
    assertRejected(
        ErrorCode.INVALID_ARGUMENT,
        () -> new Subscribe(ORDERS, -1, StartPosition.LATEST, Subscribe.CURSOR, null, 0));
    assertRejected(
        ErrorCode.INVALID_ARGUMENT,
        () -> new Subscribe(ORDERS, -1, StartPosition.LATEST, 0, null, 0, "reporter"));
    assertRejected(
        ErrorCode.INVALID_ARGUMENT,
        () -> new Subscribe(ORDERS, -1, StartPosition.LATEST, 0, "billing", 0).withCursor("r"));
    assertRejected(ErrorCode.INVALID_ARGUMENT, () -> plain.withCursor("a/b"));
    Subscribe resumed = plain.withCursor("reporter");
    assertThat(resumed.hasCursor()).isTrue();
    assertThat(resumed.cursor()).isEqualTo("reporter");
    assertThat(resumed.options()).isEqualTo(Subscribe.CURSOR);
    assertThat(plain.hasCursor()).isFalse();
    assertRejected(
        ErrorCode.INVALID_ARGUMENT,
        () -> new Subscribe(ORDERS, -1, StartPosition.LATEST, 0, null, -1));
  }

  @Test
  void cursorCommitsNeedAValidCursorAndOneEntryPerShard() {
    assertRejected(
        ErrorCode.INVALID_ARGUMENT,
        () -> new CursorCommit(ORDERS, "reporter", List.<ShardOffset>of()));
    assertRejected(
        ErrorCode.INVALID_ARGUMENT,
        () -> new CursorCommit(ORDERS, "..", List.of(new ShardOffset(0, 1))));
    assertRejected(
        ErrorCode.INVALID_ARGUMENT,
        () ->
            new CursorCommit(
                ORDERS, "reporter", List.of(new ShardOffset(0, 1), new ShardOffset(0, 2))));
    assertThat(new CursorCommit(ORDERS, "reporter", List.of(new ShardOffset(3, 9))).offsets())
        .containsExactly(new ShardOffset(3, 9));
  }

  @Test
  void namesAreCheckedWhenReferencesAreBuilt() {
    assertRejected(ErrorCode.INVALID_ARGUMENT, () -> new StreamRef("a", "b", "c/d"));
    assertRejected(ErrorCode.INVALID_ARGUMENT, () -> new CacheRef("..", "b", "c"));
    assertRejected(ErrorCode.INVALID_ARGUMENT, () -> new StreamRef(null, "b", "c"));
  }
}
