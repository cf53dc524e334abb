package dev.felix.wire.message;

import static dev.felix.wire.TestFrames.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.error.ErrorCode;
import org.junit.jupiter.api.Test;

/** Every one-byte enum code of the protocol, defined or not. */
class EnumCodesTest {
  @Test
  void ackModes() {
    assertThat(AckMode.fromCode(0)).isEqualTo(AckMode.NONE);
    assertThat(AckMode.fromCode(1)).isEqualTo(AckMode.LEADER);
    assertRejected(ErrorCode.UNSUPPORTED_FEATURE, () -> AckMode.fromCode(2));
    for (int code = 3; code < 256; code++) {
      int undefined = code;
      assertRejected(ErrorCode.INVALID_ARGUMENT, () -> AckMode.fromCode(undefined));
    }
    for (AckMode mode : AckMode.values()) {
      assertThat(AckMode.fromCode(mode.code())).isEqualTo(mode);
    }
  }

  @Test
  void goAwayReasons() {
    for (GoAway.Reason reason : GoAway.Reason.values()) {
      assertThat(GoAway.Reason.fromCode(reason.code())).isEqualTo(reason);
    }
    for (int code = GoAway.Reason.values().length; code < 256; code++) {
      int undefined = code;
      assertRejected(ErrorCode.INVALID_ARGUMENT, () -> GoAway.Reason.fromCode(undefined));
    }
  }

  @Test
  void startPositionKinds() {
    for (StartPosition.Kind kind : StartPosition.Kind.values()) {
      assertThat(StartPosition.Kind.fromCode(kind.code())).isEqualTo(kind);
    }
    for (int code = StartPosition.Kind.values().length; code < 256; code++) {
      int undefined = code;
      assertRejected(ErrorCode.INVALID_ARGUMENT, () -> StartPosition.Kind.fromCode(undefined));
    }
  }

  @Test
  void theWireCodesAreThoseOfTheLayouts() {
    assertThat(AckMode.NONE.code()).isZero();
    assertThat(AckMode.LEADER.code()).isOne();
    assertThat(GoAway.Reason.SHUTDOWN.code()).isZero();
    assertThat(GoAway.Reason.REDIRECT.code()).isOne();
    assertThat(GoAway.Reason.IDLE.code()).isEqualTo(2);
    assertThat(GoAway.Reason.OVERLOADED.code()).isEqualTo(3);
    assertThat(StartPosition.Kind.LATEST.code()).isZero();
    assertThat(StartPosition.Kind.EARLIEST.code()).isOne();
    assertThat(StartPosition.Kind.OFFSET.code()).isEqualTo(2);
    assertThat(StartPosition.Kind.TIMESTAMP.code()).isEqualTo(3);
  }
}
