package dev.felix.wire.message;

import static dev.felix.wire.TestFrames.assertDecodeRejected;
import static dev.felix.wire.TestFrames.decode;
import static dev.felix.wire.TestFrames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.error.ErrorCode;
import dev.felix.wire.MessageType;
import dev.felix.wire.PayloadBytes;
import org.junit.jupiter.api.Test;

/** CacheWatch and CacheChanges payloads that break a rule: every one a typed ProtocolException. */
class CacheWatchMessagesTest {
  private static PayloadBytes change(int kind, byte[] key, long version, long ttl, byte[] value) {
    return PayloadBytes.create().u8(kind).bytes16(key).i64(version).i64(ttl).bytes32(value);
  }

  private static byte[] changes(int flags, PayloadBytes... entries) {
    PayloadBytes payload = PayloadBytes.create().u8(flags).u32(entries.length);
    for (PayloadBytes entry : entries) {
      payload.raw(entry.toArray());
    }
    return payload.toArray();
  }

  @Test
  void anEmptyPrefixWatchesEveryKeyAndALongOneIsTooLarge() {
    byte[] empty = PayloadBytes.create().ref("acme", "prod", "s").bytes16(new byte[0]).toArray();
    byte[] long4097 =
        PayloadBytes.create().ref("acme", "prod", "s").bytes16(new byte[4097]).toArray();

    assertThat(decode(frame(MessageType.CACHE_WATCH, empty)).message())
        .isInstanceOfSatisfying(CacheWatch.class, w -> assertThat(w.prefix().length()).isZero());
    assertDecodeRejected(ErrorCode.MESSAGE_TOO_LARGE, frame(MessageType.CACHE_WATCH, long4097));
  }

  @Test
  void aWatchOfABadCacheNameIsInvalid() {
    byte[] payload =
        PayloadBytes.create().ref("acme", "prod", "a/b").bytes16(new byte[0]).toArray();

    assertDecodeRejected(ErrorCode.INVALID_ARGUMENT, frame(MessageType.CACHE_WATCH, payload));
  }

  @Test
  void unknownKindsAndFlagsAreRejected() {
    byte[] one = {1};
    assertDecodeRejected(
        ErrorCode.INVALID_ARGUMENT,
        frame(MessageType.CACHE_CHANGES, changes(0, change(6, one, 1, -1, one))));
    assertDecodeRejected(
        ErrorCode.INVALID_ARGUMENT,
        frame(MessageType.CACHE_CHANGES, changes(0, change(0, one, 1, -1, one))));
    assertDecodeRejected(
        ErrorCode.UNSUPPORTED_FEATURE,
        frame(MessageType.CACHE_CHANGES, changes(2, change(2, one, 1, -1, one))));
  }

  @Test
  void versionsTtlsAndRemovalsAreChecked() {
    byte[] one = {1};
    assertDecodeRejected(
        ErrorCode.INVALID_ARGUMENT,
        frame(MessageType.CACHE_CHANGES, changes(0, change(2, one, 0, -1, one))));
    assertDecodeRejected(
        ErrorCode.INVALID_ARGUMENT,
        frame(MessageType.CACHE_CHANGES, changes(0, change(2, one, 1, 0, one))));
    assertDecodeRejected(
        ErrorCode.INVALID_ARGUMENT,
        frame(MessageType.CACHE_CHANGES, changes(0, change(2, one, 1, -2, one))));
    assertDecodeRejected(
        ErrorCode.INVALID_ARGUMENT,
        frame(MessageType.CACHE_CHANGES, changes(0, change(3, one, 1, -1, one))));
    assertDecodeRejected(
        ErrorCode.INVALID_ARGUMENT,
        frame(MessageType.CACHE_CHANGES, changes(0, change(5, one, 1, 1000, new byte[0]))));
    assertDecodeRejected(
        ErrorCode.INVALID_ARGUMENT,
        frame(MessageType.CACHE_CHANGES, changes(0, change(1, new byte[0], 1, -1, one))));
  }

  @Test
  void countsThatDoNotFitOrExceedTheLimitAreRejected() {
    assertDecodeRejected(
        ErrorCode.MALFORMED_FRAME,
        frame(MessageType.CACHE_CHANGES, PayloadBytes.create().u8(0).u32(2).toArray()));
    assertDecodeRejected(
        ErrorCode.LIMIT_EXCEEDED,
        frame(MessageType.CACHE_CHANGES, PayloadBytes.create().u8(0).u32(10_001).toArray()));
    assertDecodeRejected(
        ErrorCode.MALFORMED_FRAME,
        frame(
            MessageType.CACHE_CHANGES,
            PayloadBytes.create().u8(1).u32(1).u8(2).bytes16(new byte[] {1}).toArray()));
  }

  @Test
  void anEmptyFrameMayCarryTheSnapshotMarker() {
    assertThat(
            decode(frame(MessageType.CACHE_CHANGES, PayloadBytes.create().u8(1).u32(0).toArray()))
                .message())
        .isEqualTo(new CacheChanges(true, java.util.List.of()));
  }
}
