package dev.felix.wire.message;

import static dev.felix.wire.TestFrames.assertDecodeRejected;
import static dev.felix.wire.TestFrames.assertRejected;
import static dev.felix.wire.TestFrames.decode;
import static dev.felix.wire.TestFrames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.error.ErrorCode;
import dev.felix.wire.Bytes;
import dev.felix.wire.FrameCodec;
import dev.felix.wire.MessageType;
import dev.felix.wire.PayloadBytes;
import dev.felix.wire.WireLimits;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Cache payloads that break a rule: keys, TTLs, versions, counts and CacheValue consistency. */
class CacheMessagesTest {
  private static PayloadBytes sessions() {
    return PayloadBytes.create().ref("acme", "prod", "sessions");
  }

  /** The bytes after the cache reference for each single-key request, given a key. */
  private static byte[] singleKey(MessageType type, byte[] key) {
    PayloadBytes payload = sessions().bytes16(key);
    switch (type) {
      case CACHE_PUT -> payload.bytes32(new byte[] {1}).i64(0);
      case CACHE_COMPARE_AND_SET -> payload.i64(0).bytes32(new byte[] {1}).i64(0);
      default -> {}
    }
    return payload.toArray();
  }

  @ParameterizedTest
  @EnumSource(
      value = MessageType.class,
      names = {"CACHE_PUT", "CACHE_GET", "CACHE_DELETE", "CACHE_COMPARE_AND_SET"})
  void keysAreOneToMaxKeyBytes(MessageType type) {
    assertThat(decode(frame(type, singleKey(type, new byte[4096]))).type()).isEqualTo(type);
    assertDecodeRejected(ErrorCode.INVALID_ARGUMENT, frame(type, singleKey(type, new byte[0])));
    assertDecodeRejected(ErrorCode.MESSAGE_TOO_LARGE, frame(type, singleKey(type, new byte[4097])));
  }

  @ParameterizedTest
  @EnumSource(
      value = MessageType.class,
      names = {"CACHE_PUT", "CACHE_GET", "CACHE_DELETE", "CACHE_COMPARE_AND_SET"})
  void invalidCacheNamesAreInvalid(MessageType type) {
    byte[] valid = singleKey(type, new byte[] {1});
    byte[] payload =
        PayloadBytes.create()
            .ref("acme", "prod", "a/b")
            .raw(Arrays.copyOfRange(valid, 19, valid.length))
            .toArray();

    assertDecodeRejected(ErrorCode.INVALID_ARGUMENT, frame(type, payload));
  }

  @Test
  void theKeyLimitComesFromTheWireLimits() {
    FrameCodec small = new FrameCodec(new WireLimits(1024, 10, 16, 4, 16, 10));

    assertThat(
            small
                .decode(
                    frame(MessageType.CACHE_GET, singleKey(MessageType.CACHE_GET, new byte[16])))
                .type())
        .isEqualTo(MessageType.CACHE_GET);
    assertRejected(
        ErrorCode.MESSAGE_TOO_LARGE,
        () ->
            small.decode(
                frame(MessageType.CACHE_GET, singleKey(MessageType.CACHE_GET, new byte[17]))));
  }

  @Test
  void negativeTtlsAreInvalid() {
    byte[] put = sessions().bytes16(new byte[] {1}).bytes32(new byte[0]).i64(-1).toArray();
    byte[] cas =
        sessions()
            .bytes16(new byte[] {1})
            .i64(0)
            .bytes32(new byte[0])
            .i64(Long.MIN_VALUE)
            .toArray();
    byte[] multiPut =
        sessions().u32(1).bytes16(new byte[] {1}).bytes32(new byte[0]).i64(-5).toArray();

    assertDecodeRejected(ErrorCode.INVALID_ARGUMENT, frame(MessageType.CACHE_PUT, put));
    assertDecodeRejected(ErrorCode.INVALID_ARGUMENT, frame(MessageType.CACHE_COMPARE_AND_SET, cas));
    assertDecodeRejected(ErrorCode.INVALID_ARGUMENT, frame(MessageType.CACHE_MULTI_PUT, multiPut));
  }

  @Test
  void negativeExpectedVersionsAreInvalid() {
    byte[] cas = sessions().bytes16(new byte[] {1}).i64(-1).bytes32(new byte[0]).i64(0).toArray();

    assertDecodeRejected(ErrorCode.INVALID_ARGUMENT, frame(MessageType.CACHE_COMPARE_AND_SET, cas));
  }

  @Test
  void valueLengthsAboveTheFrameLimitAreTooLargeAndBeyondThePayloadMalformed() {
    byte[] huge = sessions().bytes16(new byte[] {1}).u32(8 * 1024 * 1024 + 1).toArray();
    byte[] short3 = sessions().bytes16(new byte[] {1}).u32(5).hex("010203").toArray();
    byte[] negative = sessions().bytes16(new byte[] {1}).u32(0x8000_0000L).toArray();

    assertDecodeRejected(ErrorCode.MESSAGE_TOO_LARGE, frame(MessageType.CACHE_PUT, huge));
    assertDecodeRejected(ErrorCode.MALFORMED_FRAME, frame(MessageType.CACHE_PUT, short3));
    assertDecodeRejected(ErrorCode.MALFORMED_FRAME, frame(MessageType.CACHE_PUT, negative));
  }

  @Test
  void multiRequestsNeedAtLeastOneEntry() {
    assertDecodeRejected(
        ErrorCode.INVALID_ARGUMENT,
        frame(MessageType.CACHE_MULTI_GET, sessions().u32(0).toArray()));
    assertDecodeRejected(
        ErrorCode.INVALID_ARGUMENT,
        frame(MessageType.CACHE_MULTI_PUT, sessions().u32(0).toArray()));
  }

  @Test
  void multiCountsAboveTheLimitAreRejected() {
    FrameCodec small = new FrameCodec(new WireLimits(1024, 10, 16, 4, 16, 2));
    PayloadBytes get = sessions().u32(3);
    PayloadBytes put = sessions().u32(3);
    PayloadBytes values = PayloadBytes.create().u32(3);
    for (int i = 0; i < 3; i++) {
      get.bytes16(new byte[] {(byte) i});
      put.bytes16(new byte[] {(byte) i}).bytes32(new byte[0]).i64(0);
      values.u8(0).i64(0).i64(-1).u32(0);
    }

    assertRejected(
        ErrorCode.LIMIT_EXCEEDED,
        () -> small.decode(frame(MessageType.CACHE_MULTI_GET, get.toArray())));
    assertRejected(
        ErrorCode.LIMIT_EXCEEDED,
        () -> small.decode(frame(MessageType.CACHE_MULTI_PUT, put.toArray())));
    assertRejected(
        ErrorCode.LIMIT_EXCEEDED,
        () -> small.decode(frame(MessageType.CACHE_MULTI_VALUE, values.toArray())));
  }

  @Test
  void multiCountsThatCannotFitThePayloadAreMalformed() {
    assertDecodeRejected(
        ErrorCode.MALFORMED_FRAME,
        frame(MessageType.CACHE_MULTI_GET, sessions().u32(2).bytes16(new byte[] {1}).toArray()));
    assertDecodeRejected(
        ErrorCode.MALFORMED_FRAME,
        frame(
            MessageType.CACHE_MULTI_VALUE,
            "00000002 00 0000000000000000 ffffffffffffffff 00000000"));
  }

  @Test
  void anEmptyKeyInsideAMultiRequestIsInvalid() {
    byte[] get = sessions().u32(2).bytes16(new byte[0]).bytes16(new byte[] {1, 2}).toArray();
    byte[] put = sessions().u32(1).bytes16(new byte[0]).bytes32(new byte[] {1, 2}).i64(0).toArray();

    assertDecodeRejected(ErrorCode.INVALID_ARGUMENT, frame(MessageType.CACHE_MULTI_GET, get));
    assertDecodeRejected(ErrorCode.INVALID_ARGUMENT, frame(MessageType.CACHE_MULTI_PUT, put));
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3, 0x80, 0xff})
  void unknownCacheStatusesAreInvalid(int status) {
    byte[] payload = PayloadBytes.create().u8(status).i64(0).i64(-1).u32(0).toArray();

    assertDecodeRejected(ErrorCode.INVALID_ARGUMENT, frame(MessageType.CACHE_VALUE, payload));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "01 0000000000000000 ffffffffffffffff 00000000", // hit without a version
        "01 ffffffffffffffff 0000000000000000 00000000", // hit with a negative version
        "00 0000000000000001 ffffffffffffffff 00000000", // miss with a version
        "00 0000000000000000 0000000000000000 00000000", // miss with a TTL
        "00 0000000000000000 ffffffffffffffff 00000001 61", // miss with a value
        "01 0000000000000001 fffffffffffffffe 00000000" // TTL below -1
      })
  void inconsistentCacheValuesAreInvalid(String payload) {
    assertDecodeRejected(ErrorCode.INVALID_ARGUMENT, frame(MessageType.CACHE_VALUE, payload));
    assertDecodeRejected(
        ErrorCode.INVALID_ARGUMENT, frame(MessageType.CACHE_MULTI_VALUE, "00000001 " + payload));
  }

  @Test
  void consistentCacheValuesAtTheEdgesDecode() {
    assertThat(
            decode(frame(MessageType.CACHE_VALUE, "01 7fffffffffffffff ffffffffffffffff 00000000"))
                .message())
        .isEqualTo(CacheValue.hit(Long.MAX_VALUE, -1, Bytes.EMPTY));
    assertThat(
            decode(frame(MessageType.CACHE_VALUE, "01 0000000000000001 0000000000000000 00000000"))
                .message())
        .isEqualTo(CacheValue.hit(1, 0, Bytes.EMPTY));
  }
}
