package dev.felix.wire.message;

import static dev.felix.wire.TestFrames.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.error.ErrorCode;
import dev.felix.wire.Bytes;
import dev.felix.wire.PayloadBytes;
import dev.felix.wire.TestFrames;
import dev.felix.wire.WireLimits;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link RecordBatch#wrap}, the one structural check of a record run, and the {@link RecordCursor}
 * that walks what it accepted. Records are written byte by byte here (see {@link #record}) so that
 * every field can be made wrong on its own.
 */
class RecordBatchTest {
  private static final WireLimits LIMITS = WireLimits.DEFAULTS;

  /**
   * One record: the length prefix is computed, {@code rest} is everything after the timestamp (key,
   * header count, headers, payload).
   */
  static byte[] record(int attributes, long offsetDelta, long timestampMs, byte[] rest) {
    return PayloadBytes.create()
        .u32(13 + rest.length)
        .u8(attributes)
        .u32(offsetDelta)
        .i64(timestampMs)
        .raw(rest)
        .toArray();
  }

  /** A record without key or headers and with {@code payload}. */
  static byte[] plain(long offsetDelta, String payloadHex) {
    return record(0, offsetDelta, 0, PayloadBytes.create().u16(0).hex(payloadHex).toArray());
  }

  static ByteBuffer concat(byte[]... records) {
    PayloadBytes out = PayloadBytes.create();
    for (byte[] record : records) {
      out.raw(record);
    }
    return ByteBuffer.wrap(out.toArray());
  }

  static RecordBatch wrap(ByteBuffer bytes, int count, RecordBatch.Kind kind) {
    return RecordBatch.wrap(bytes, count, kind, LIMITS);
  }

  @Test
  void ofEncodesDeltasZeroToNMinusOneValidAsBothKinds() {
    List<RecordData> records =
        List.of(
            RecordData.of("a"),
            new RecordData(Bytes.utf8("k"), List.of(Header.of("h", "v")), 9, Bytes.EMPTY),
            RecordData.of(""));
    RecordBatch batch = RecordBatch.of(records);

    for (RecordBatch.Kind kind : RecordBatch.Kind.values()) {
      RecordBatch wrapped = wrap(batch.bytes(), 3, kind);
      assertThat(wrapped).isEqualTo(batch).hasSameHashCodeAs(batch);
      assertThat(wrapped.toRecords()).isEqualTo(records);
    }
    RecordCursor cursor = batch.cursor();
    for (int i = 0; i < 3; i++) {
      assertThat(cursor.next()).isTrue();
      assertThat(cursor.offsetDelta()).isEqualTo(i);
    }
    assertThat(cursor.next()).isFalse();
  }

  @Test
  void cursorReadsEveryFieldInPlace() {
    byte[] rest =
        PayloadBytes.create()
            .bytes16(new byte[] {'k', 'e', 'y'})
            .u16(2)
            .utf8("n1")
            .bytes16(new byte[] {1, 2})
            .utf8("\u00fc")
            .bytes16(new byte[0])
            .hex("cafe")
            .toArray();
    byte[] first = record(RecordCodec.HAS_KEY, 0, 1234, rest);
    byte[] second = plain(1, "");
    RecordBatch batch = wrap(concat(first, second), 2, RecordBatch.Kind.PUBLISH);
    RecordCursor cursor = batch.cursor();

    assertThat(cursor.next()).isTrue();
    assertThat(cursor.index()).isZero();
    assertThat(cursor.recordPosition()).isZero();
    assertThat(cursor.recordSize()).isEqualTo(first.length);
    assertThat(cursor.offsetDelta()).isZero();
    assertThat(cursor.timestampMs()).isEqualTo(1234);
    assertThat(cursor.hasKey()).isTrue();
    assertThat(cursor.keyPosition()).isEqualTo(RecordCodec.KEY_OFFSET + 2);
    assertThat(cursor.keyLength()).isEqualTo(3);
    assertThat(cursor.copyKey()).isEqualTo(Bytes.utf8("key"));
    assertThat(cursor.headerCount()).isEqualTo(2);
    assertThat(cursor.headers())
        .containsExactly(
            new Header("n1", Bytes.of(new byte[] {1, 2})), new Header("\u00fc", Bytes.EMPTY));
    assertThat(cursor.payloadLength()).isEqualTo(2);
    assertThat(cursor.buffer().get(cursor.payloadPosition())).isEqualTo((byte) 0xca);
    assertThat(cursor.copyPayload()).isEqualTo(Bytes.of(new byte[] {(byte) 0xca, (byte) 0xfe}));

    assertThat(cursor.next()).isTrue();
    assertThat(cursor.index()).isOne();
    assertThat(cursor.recordPosition()).isEqualTo(first.length);
    assertThat(cursor.hasKey()).isFalse();
    assertThat(cursor.keyPosition()).isEqualTo(-1);
    assertThat(cursor.keyLength()).isEqualTo(-1);
    assertThat(cursor.copyKey()).isNull();
    assertThat(cursor.headers()).isEmpty();
    assertThat(cursor.payloadLength()).isZero();
    assertThat(cursor.toRecord()).isEqualTo(new RecordData(null, List.of(), 0, Bytes.EMPTY));
    assertThat(cursor.next()).isFalse();
    assertThat(batch.sizeBytes()).isEqualTo(first.length + second.length);
  }

  @Test
  void wrapReadsFromTheBufferPositionWithoutCopying() {
    byte[] record = plain(0, "61");
    ByteBuffer buffer = ByteBuffer.allocate(4 + record.length);
    buffer.position(4);
    buffer.put(record);
    buffer.position(4);

    RecordBatch batch = wrap(buffer, 1, RecordBatch.Kind.PUBLISH);

    assertThat(batch.toRecords()).containsExactly(RecordData.of("a"));
    assertThat(buffer.position()).isEqualTo(4);
    assertThat(batch.bytes().isReadOnly()).isTrue();
    assertThat(batch).hasToString("RecordBatch[count=1, bytes=20]");
  }

  @Test
  void anEmptyRunWithCountZeroIsTheEmptyBatch() {
    RecordBatch empty = wrap(ByteBuffer.allocate(0), 0, RecordBatch.Kind.EVENT);

    assertThat(empty).isEqualTo(RecordBatch.EMPTY);
    assertThat(empty.toRecords()).isEmpty();
    assertThat(RecordBatch.EMPTY.cursor().next()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, Integer.MIN_VALUE, 10_001, Integer.MAX_VALUE})
  void countsOutsideZeroToTheLimitAreRejected(int count) {
    assertRejected(
        ErrorCode.LIMIT_EXCEEDED,
        () -> wrap(concat(plain(0, "")), count, RecordBatch.Kind.PUBLISH));
  }

  @Test
  void theCountLimitComesFromTheWireLimits() {
    WireLimits two = new WireLimits(1024, 2, 16, 4, 16, 10);
    ByteBuffer three = concat(plain(0, ""), plain(1, ""), plain(2, ""));

    assertRejected(
        ErrorCode.LIMIT_EXCEEDED, () -> RecordBatch.wrap(three, 3, RecordBatch.Kind.PUBLISH, two));
  }

  @Test
  void aCountAboveTheRecordsPresentIsMalformed() {
    assertRejected(
        ErrorCode.MALFORMED_FRAME,
        () -> wrap(concat(plain(0, ""), plain(1, "")), 3, RecordBatch.Kind.PUBLISH));
  }

  @Test
  void aCountBelowTheRecordsPresentLeavesTrailingBytes() {
    assertRejected(
        ErrorCode.MALFORMED_FRAME,
        () -> wrap(concat(plain(0, ""), plain(1, "")), 1, RecordBatch.Kind.PUBLISH));
    assertRejected(
        ErrorCode.MALFORMED_FRAME, () -> wrap(concat(plain(0, "")), 0, RecordBatch.Kind.EVENT));
  }

  @Test
  void fewerBytesThanTheSmallestRecordAreMalformed() {
    byte[] record = plain(0, "");

    for (int length = 0; length < record.length; length++) {
      ByteBuffer truncated = ByteBuffer.wrap(record, 0, length);
      assertRejected(ErrorCode.MALFORMED_FRAME, () -> wrap(truncated, 1, RecordBatch.Kind.PUBLISH));
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, 14, 0x8000_0000L, 0xffff_ffffL})
  void recordLengthBelowTheMinimumOrNegativeIsMalformed(long length) {
    ByteBuffer bytes = ByteBuffer.wrap(plain(0, "00000000000000"));
    bytes.putInt(0, (int) length);

    assertRejected(ErrorCode.MALFORMED_FRAME, () -> wrap(bytes, 1, RecordBatch.Kind.PUBLISH));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 100, 0x7fff_ffff})
  void recordLengthOverrunningTheBytesIsMalformed(int excess) {
    byte[] record = plain(0, "abcd");
    ByteBuffer bytes = ByteBuffer.wrap(record);
    bytes.putInt(0, (int) Math.min(Integer.MAX_VALUE, (long) record.length - 4 + excess));

    assertRejected(ErrorCode.MALFORMED_FRAME, () -> wrap(bytes, 1, RecordBatch.Kind.PUBLISH));
  }

  static IntStream unknownAttributeBits() {
    return IntStream.range(1, 8).map(bit -> 1 << bit);
  }

  @ParameterizedTest
  @MethodSource("unknownAttributeBits")
  void unknownAttributeBitsAreUnsupported(int bit) {
    byte[] rest = PayloadBytes.create().u16(0).toArray();

    assertRejected(
        ErrorCode.UNSUPPORTED_FEATURE,
        () -> wrap(concat(record(bit, 0, 0, rest)), 1, RecordBatch.Kind.PUBLISH));
    byte[] keyed = PayloadBytes.create().u16(0).u16(0).toArray();
    assertRejected(
        ErrorCode.UNSUPPORTED_FEATURE,
        () ->
            wrap(
                concat(record(bit | RecordCodec.HAS_KEY, 0, 0, keyed)), 1, RecordBatch.Kind.EVENT));
  }

  @Test
  void publishDeltasMustBeTheRecordIndex() {
    assertRejected(
        ErrorCode.INVALID_ARGUMENT, () -> wrap(concat(plain(1, "")), 1, RecordBatch.Kind.PUBLISH));
    assertRejected(
        ErrorCode.INVALID_ARGUMENT,
        () -> wrap(concat(plain(0, ""), plain(2, "")), 2, RecordBatch.Kind.PUBLISH));
    assertRejected(
        ErrorCode.INVALID_ARGUMENT,
        () -> wrap(concat(plain(0, ""), plain(0, "")), 2, RecordBatch.Kind.PUBLISH));
    assertRejected(
        ErrorCode.INVALID_ARGUMENT,
        () -> wrap(concat(plain(0xffff_ffffL, "")), 1, RecordBatch.Kind.PUBLISH));
  }

  @Test
  void eventDeltasStartAtZeroAndStrictlyIncrease() {
    assertRejected(
        ErrorCode.INVALID_ARGUMENT, () -> wrap(concat(plain(1, "")), 1, RecordBatch.Kind.EVENT));
    assertRejected(
        ErrorCode.INVALID_ARGUMENT,
        () -> wrap(concat(plain(0, ""), plain(0, "")), 2, RecordBatch.Kind.EVENT));
    assertRejected(
        ErrorCode.INVALID_ARGUMENT,
        () -> wrap(concat(plain(0, ""), plain(5, ""), plain(3, "")), 3, RecordBatch.Kind.EVENT));
    assertRejected(
        ErrorCode.INVALID_ARGUMENT,
        () -> wrap(concat(plain(0, ""), plain(5, ""), plain(5, "")), 3, RecordBatch.Kind.EVENT));
  }

  @Test
  void eventDeltasMayHaveGaps() {
    RecordBatch batch =
        wrap(concat(plain(0, ""), plain(5, ""), plain(9, "")), 3, RecordBatch.Kind.EVENT);

    RecordCursor cursor = batch.cursor();
    StringBuilder deltas = new StringBuilder();
    while (cursor.next()) {
      deltas.append(cursor.offsetDelta()).append(' ');
    }
    assertThat(deltas).hasToString("0 5 9 ");
  }

  @Test
  void eventDeltasUpToTheLargestIntAreReadBackUnchanged() {
    RecordBatch batch =
        wrap(concat(plain(0, ""), plain(Integer.MAX_VALUE, "")), 2, RecordBatch.Kind.EVENT);

    RecordCursor cursor = batch.cursor();
    cursor.next();
    cursor.next();
    assertThat(cursor.offsetDelta()).isEqualTo(Integer.MAX_VALUE);
  }

  @ParameterizedTest
  @ValueSource(longs = {0x8000_0000L, 0xffff_ffffL})
  void eventDeltasThatDoNotFitAnIntAreRejected(long delta) {
    // Like every u32 in Felix, an offset delta must fit a Java int: RecordCursor.offsetDelta()
    // returns an int, so a larger delta would read back negative and put the record before its
    // batch.
    assertRejected(
        ErrorCode.MALFORMED_FRAME,
        () -> wrap(concat(plain(0, ""), plain(delta, "")), 2, RecordBatch.Kind.EVENT));
  }

  @ParameterizedTest
  @ValueSource(longs = {-1, Long.MIN_VALUE})
  void negativeTimestampsAreInvalid(long timestampMs) {
    byte[] rest = PayloadBytes.create().u16(0).toArray();

    assertRejected(
        ErrorCode.INVALID_ARGUMENT,
        () -> wrap(concat(record(0, 0, timestampMs, rest)), 1, RecordBatch.Kind.PUBLISH));
  }

  @Test
  void theLargestTimestampIsAccepted() {
    byte[] rest = PayloadBytes.create().u16(0).toArray();

    RecordBatch batch = wrap(concat(record(0, 0, Long.MAX_VALUE, rest)), 1, RecordBatch.Kind.EVENT);

    assertThat(batch.toRecords().get(0).timestampMs()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void keysUpToTheLimitAreAcceptedAndLongerOnesAreTooLarge() {
    byte[] atLimit = PayloadBytes.create().bytes16(new byte[4096]).u16(0).toArray();
    byte[] aboveLimit = PayloadBytes.create().bytes16(new byte[4097]).u16(0).toArray();

    RecordBatch batch =
        wrap(concat(record(RecordCodec.HAS_KEY, 0, 0, atLimit)), 1, RecordBatch.Kind.PUBLISH);
    assertThat(batch.toRecords().get(0).key().length()).isEqualTo(4096);
    assertRejected(
        ErrorCode.MESSAGE_TOO_LARGE,
        () ->
            wrap(
                concat(record(RecordCodec.HAS_KEY, 0, 0, aboveLimit)),
                1,
                RecordBatch.Kind.PUBLISH));
  }

  @Test
  void aKeyOverrunningItsRecordIsMalformed() {
    // key length 5 but only 3 key bytes, then the record ends.
    byte[] rest = PayloadBytes.create().u16(5).hex("616263").toArray();

    assertRejected(
        ErrorCode.MALFORMED_FRAME,
        () ->
            wrap(
                concat(record(RecordCodec.HAS_KEY, 0, 0, rest), plain(1, "")),
                2,
                RecordBatch.Kind.PUBLISH));
  }

  @Test
  void aKeyedRecordWithoutRoomForItsHeaderCountIsMalformed() {
    // 15-byte body: the two bytes after the timestamp are the key length, nothing is left.
    byte[] rest = PayloadBytes.create().u16(0).toArray();

    assertRejected(
        ErrorCode.MALFORMED_FRAME,
        () -> wrap(concat(record(RecordCodec.HAS_KEY, 0, 0, rest)), 1, RecordBatch.Kind.PUBLISH));
  }

  @Test
  void headersUpToTheLimitAreAcceptedAndMoreExceedIt() {
    RecordBatch batch = wrap(concat(record(0, 0, 0, headers(64))), 1, RecordBatch.Kind.PUBLISH);
    assertThat(batch.toRecords().get(0).headers()).hasSize(64);

    assertRejected(
        ErrorCode.LIMIT_EXCEEDED,
        () -> wrap(concat(record(0, 0, 0, headers(65))), 1, RecordBatch.Kind.PUBLISH));
  }

  private static byte[] headers(int count) {
    PayloadBytes rest = PayloadBytes.create().u16(count);
    for (int i = 0; i < count; i++) {
      rest.utf8("h" + i).bytes16(new byte[] {(byte) i});
    }
    return rest.toArray();
  }

  @Test
  void aHeaderCountAboveTheHeadersPresentIsMalformed() {
    byte[] rest = PayloadBytes.create().u16(2).utf8("a").bytes16(new byte[0]).toArray();

    assertRejected(
        ErrorCode.MALFORMED_FRAME,
        () -> wrap(concat(record(0, 0, 0, rest)), 1, RecordBatch.Kind.PUBLISH));
  }

  @Test
  void anEmptyHeaderNameIsInvalid() {
    byte[] rest = PayloadBytes.create().u16(1).u16(0).bytes16(new byte[] {1}).toArray();

    assertRejected(
        ErrorCode.INVALID_ARGUMENT,
        () -> wrap(concat(record(0, 0, 0, rest)), 1, RecordBatch.Kind.PUBLISH));
  }

  @Test
  void headerNamesOf255BytesAreAcceptedAndLongerOnesAreInvalid() {
    byte[] max = PayloadBytes.create().u16(1).utf8("\u00e9".repeat(127) + "x").u16(0).toArray();
    byte[] tooLong = PayloadBytes.create().u16(1).utf8("x".repeat(256)).u16(0).toArray();

    RecordBatch batch = wrap(concat(record(0, 0, 0, max)), 1, RecordBatch.Kind.PUBLISH);
    assertThat(batch.toRecords().get(0).headers().get(0).name()).hasSize(128);
    assertRejected(
        ErrorCode.INVALID_ARGUMENT,
        () -> wrap(concat(record(0, 0, 0, tooLong)), 1, RecordBatch.Kind.PUBLISH));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 10})
  void aHeaderNameOrValueOverrunningItsRecordIsMalformed(int cut) {
    byte[] rest = PayloadBytes.create().u16(1).utf8("name").bytes16(new byte[] {1, 2, 3}).toArray();
    byte[] shortened = Arrays.copyOf(rest, rest.length - cut);

    assertRejected(
        ErrorCode.MALFORMED_FRAME,
        () -> wrap(concat(record(0, 0, 0, shortened), plain(1, "")), 2, RecordBatch.Kind.PUBLISH));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ff", // never valid in UTF-8
        "80", // continuation byte without a lead
        "c0 80", // overlong NUL
        "c1 bf", // overlong
        "e0 80 80", // overlong three-byte form
        "f0 80 80 80", // overlong four-byte form
        "ed a0 80", // UTF-16 high surrogate D800 encoded directly
        "ed bf bf", // low surrogate DFFF
        "f4 90 80 80", // above U+10FFFF
        "f5 80 80 80", // lead byte above F4
        "c3", // truncated two-byte sequence at the end of the name
        "e2 98", // truncated three-byte sequence
        "61 c3 28", // bad continuation byte
        "e2 28 a1" // bad continuation byte in the middle
      })
  void headerNamesThatAreNotUtf8AreMalformed(String nameHex) {
    byte[] name = TestFrames.hex(nameHex);
    byte[] rest = PayloadBytes.create().u16(1).bytes16(name).u16(0).hex("ffff").toArray();

    assertRejected(
        ErrorCode.MALFORMED_FRAME,
        () -> wrap(concat(record(0, 0, 0, rest)), 1, RecordBatch.Kind.PUBLISH));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "7f",
        "c2 80",
        "df bf",
        "e0 a0 80",
        "ef bf bf",
        "ed 9f bf",
        "ee 80 80",
        "f0 90 80 80",
        "f4 8f bf bf",
        "e2 98 83 f0 9f 98 80"
      })
  void headerNamesAtTheUtf8BoundariesAreAccepted(String nameHex) {
    byte[] name = TestFrames.hex(nameHex);
    byte[] rest = PayloadBytes.create().u16(1).bytes16(name).u16(0).toArray();

    RecordBatch batch = wrap(concat(record(0, 0, 0, rest)), 1, RecordBatch.Kind.PUBLISH);

    Header header = batch.toRecords().get(0).headers().get(0);
    assertThat(header.name().getBytes(StandardCharsets.UTF_8)).isEqualTo(name);
  }

  @ParameterizedTest
  @EnumSource(RecordBatch.Kind.class)
  void thePayloadIsEverythingLeftInTheRecord(RecordBatch.Kind kind) {
    byte[] payload = new byte[300];
    payload[299] = 9;
    byte[] rest = PayloadBytes.create().u16(0).raw(payload).toArray();

    RecordBatch batch = wrap(concat(record(0, 0, 0, rest)), 1, kind);

    assertThat(batch.toRecords().get(0).payload()).isEqualTo(Bytes.of(payload));
  }
}
