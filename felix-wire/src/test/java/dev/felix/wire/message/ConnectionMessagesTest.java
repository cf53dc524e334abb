package dev.felix.wire.message;

import static dev.felix.wire.TestFrames.assertDecodeRejected;
import static dev.felix.wire.TestFrames.assertRejected;
import static dev.felix.wire.TestFrames.decode;
import static dev.felix.wire.TestFrames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.error.ErrorCode;
import dev.felix.error.NotFoundException;
import dev.felix.wire.Bytes;
import dev.felix.wire.FrameCodec;
import dev.felix.wire.MessageType;
import dev.felix.wire.PayloadBytes;
import dev.felix.wire.TestFrames;
import dev.felix.wire.WireLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Decoding Hello, HelloOk, GoAway and Error payloads that break a rule. */
class ConnectionMessagesTest {
  /** Invalid UTF-8 byte sequences, as hex. */
  static final String[] INVALID_UTF8 = {
    "ff", "80", "c0 80", "e0 80 80", "ed a0 80", "f4 90 80 80", "c3", "61 e2 98", "c3 28"
  };

  private static PayloadBytes hello(int minVersion, int maxVersion) {
    return PayloadBytes.create().u8(minVersion).u8(maxVersion).i64(0);
  }

  @Test
  void helloWithAnEmptyNameAndNoTokenDecodes() {
    byte[] payload = hello(1, 1).utf8("").bytes16(new byte[0]).toArray();

    assertThat(decode(frame(MessageType.HELLO, payload)).message())
        .isEqualTo(new Hello(1, 1, 0, "", Bytes.EMPTY));
  }

  @ParameterizedTest
  @ValueSource(strings = {"00 01", "00 00", "02 01", "ff 01"})
  void helloVersionRangeMustStartAtOneAndNotDecrease(String versions) {
    byte[] payload =
        PayloadBytes.create().hex(versions).i64(0).utf8("c").bytes16(new byte[0]).toArray();

    assertDecodeRejected(ErrorCode.INVALID_ARGUMENT, frame(MessageType.HELLO, payload));
  }

  @Test
  void helloClientNameOf255BytesIsAcceptedAnd256Exceeds() {
    String max = "\u2603".repeat(85); // 255 bytes
    byte[] atLimit = hello(1, 1).utf8(max).bytes16(new byte[0]).toArray();
    byte[] aboveLimit = hello(1, 1).utf8(max + "x").bytes16(new byte[0]).toArray();

    assertThat(((Hello) decode(frame(MessageType.HELLO, atLimit)).message()).clientName())
        .isEqualTo(max);
    assertDecodeRejected(ErrorCode.LIMIT_EXCEEDED, frame(MessageType.HELLO, aboveLimit));
  }

  @Test
  void helloClientNameThatIsNotUtf8IsMalformed() {
    for (String invalid : INVALID_UTF8) {
      byte[] name = TestFrames.hex(invalid);
      byte[] payload = hello(1, 1).bytes16(name).bytes16(new byte[0]).toArray();
      assertDecodeRejected(ErrorCode.MALFORMED_FRAME, frame(MessageType.HELLO, payload));
    }
  }

  @Test
  void helloTokenAboveTheLimitIsTooLarge() {
    FrameCodec codec = new FrameCodec(new WireLimits(1024, 10, 16, 4, 16, 10));
    byte[] atLimit = hello(1, 1).utf8("c").bytes16(new byte[16]).toArray();
    byte[] aboveLimit = hello(1, 1).utf8("c").bytes16(new byte[17]).toArray();

    assertThat(((Hello) codec.decode(frame(MessageType.HELLO, atLimit)).message()).token().length())
        .isEqualTo(16);
    assertRejected(
        ErrorCode.MESSAGE_TOO_LARGE, () -> codec.decode(frame(MessageType.HELLO, aboveLimit)));
  }

  @Test
  void helloTokenLengthBeyondThePayloadIsMalformed() {
    byte[] payload = hello(1, 1).utf8("c").u16(10).hex("0102").toArray();

    assertDecodeRejected(ErrorCode.MALFORMED_FRAME, frame(MessageType.HELLO, payload));
  }

  @Test
  void helloToStringHidesTheToken() {
    Hello hello = new Hello(1, 1, 0, "app", Bytes.utf8("secret-token"));

    assertThat(hello.toString()).doesNotContain("secret").contains("<12 bytes>").contains("app");
    assertThat(new Hello(1, 1, 0, "app", Bytes.EMPTY).toString()).contains("token=none");
  }

  private static PayloadBytes helloOk(String serverId, String region) {
    return PayloadBytes.create().u8(1).i64(0).utf8(serverId).utf8(region);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4})
  void helloOkLimitsAboveTheLargestIntAreMalformed(int field) {
    PayloadBytes payload = helloOk("s", "r");
    for (int i = 0; i < 5; i++) {
      payload.u32(i == field ? 0x8000_0000L : 1);
    }

    assertDecodeRejected(ErrorCode.MALFORMED_FRAME, frame(MessageType.HELLO_OK, payload.toArray()));
  }

  @Test
  void helloOkTextFieldsAreCheckedForUtf8AndLength() {
    byte[] badServerId =
        PayloadBytes.create()
            .u8(1)
            .i64(0)
            .bytes16(TestFrames.hex("c0 80"))
            .utf8("r")
            .raw(new byte[20])
            .toArray();
    byte[] longRegion = helloOk("s", "r".repeat(256)).raw(new byte[20]).toArray();

    assertDecodeRejected(ErrorCode.MALFORMED_FRAME, frame(MessageType.HELLO_OK, badServerId));
    assertDecodeRejected(ErrorCode.LIMIT_EXCEEDED, frame(MessageType.HELLO_OK, longRegion));
  }

  @ParameterizedTest
  @ValueSource(ints = {4, 5, 0x80, 0xff})
  void goAwayWithAnUnknownReasonIsInvalid(int reason) {
    byte[] payload = PayloadBytes.create().u8(reason).u32(0).utf8("").utf8("").toArray();

    assertDecodeRejected(ErrorCode.INVALID_ARGUMENT, frame(MessageType.GO_AWAY, payload));
  }

  @Test
  void goAwayDrainTimeoutAboveTheLargestIntIsMalformed() {
    byte[] payload = PayloadBytes.create().u8(0).u32(0xffff_ffffL).utf8("").utf8("").toArray();

    assertDecodeRejected(ErrorCode.MALFORMED_FRAME, frame(MessageType.GO_AWAY, payload));
  }

  @Test
  void goAwayTextAbove1024BytesExceedsTheLimit() {
    byte[] atLimit = PayloadBytes.create().u8(0).u32(0).utf8("").utf8("m".repeat(1024)).toArray();
    byte[] longMessage =
        PayloadBytes.create().u8(0).u32(0).utf8("").utf8("m".repeat(1025)).toArray();
    byte[] longRedirect =
        PayloadBytes.create().u8(1).u32(0).utf8("h".repeat(1025)).utf8("").toArray();

    assertThat(decode(frame(MessageType.GO_AWAY, atLimit)).type()).isEqualTo(MessageType.GO_AWAY);
    assertDecodeRejected(ErrorCode.LIMIT_EXCEEDED, frame(MessageType.GO_AWAY, longMessage));
    assertDecodeRejected(ErrorCode.LIMIT_EXCEEDED, frame(MessageType.GO_AWAY, longRedirect));
  }

  @Test
  void errorMessageAbove4096BytesExceedsTheLimit() {
    byte[] atLimit = PayloadBytes.create().u16(100).utf8("e".repeat(4096)).toArray();
    byte[] aboveLimit = PayloadBytes.create().u16(100).utf8("e".repeat(4097)).toArray();

    assertThat(((ErrorReply) decode(frame(MessageType.ERROR, atLimit)).message()).message())
        .hasSize(4096);
    assertDecodeRejected(ErrorCode.LIMIT_EXCEEDED, frame(MessageType.ERROR, aboveLimit));
  }

  @Test
  void errorMessageThatIsNotUtf8IsMalformed() {
    for (String invalid : INVALID_UTF8) {
      byte[] payload = PayloadBytes.create().u16(100).bytes16(TestFrames.hex(invalid)).toArray();
      assertDecodeRejected(ErrorCode.MALFORMED_FRAME, frame(MessageType.ERROR, payload));
    }
  }

  @Test
  void errorCodesAreKeptAsNumbersAndMapToTypedExceptions() {
    ErrorReply known = (ErrorReply) decode(frame(MessageType.ERROR, "012c 0001 78")).message();
    ErrorReply unknown = (ErrorReply) decode(frame(MessageType.ERROR, "ffff 0000")).message();

    assertThat(known.errorCode()).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(known.toException()).isInstanceOf(NotFoundException.class).hasMessage("x");
    assertThat(unknown.code()).isEqualTo(0xffff);
    assertThat(unknown.errorCode()).isEqualTo(ErrorCode.INTERNAL);
    assertThat(unknown.toException()).hasMessage(" (code 65535)");
  }

  @Test
  void pingAndPongNeedExactlyEightBytes() {
    assertDecodeRejected(ErrorCode.MALFORMED_FRAME, frame(MessageType.PING, "01020304050607"));
    assertDecodeRejected(ErrorCode.MALFORMED_FRAME, frame(MessageType.PONG, "010203040506070809"));
    assertThat(decode(frame(MessageType.PONG, "8000000000000000")).message())
        .isEqualTo(new Pong(Long.MIN_VALUE));
  }

  @Test
  void okCarriesNoPayload() {
    assertDecodeRejected(ErrorCode.MALFORMED_FRAME, frame(MessageType.OK, "00"));
  }
}
