package dev.felix.wire.message;

import dev.felix.error.ErrorCode;
import dev.felix.error.ProtocolException;
import dev.felix.wire.MessageType;
import dev.felix.wire.PayloadReader;
import dev.felix.wire.PayloadWriter;
import java.util.Objects;

/**
 * The server asks the client to leave: finish in-flight work within {@code drainTimeoutMs} and
 * reconnect (to {@code redirectTo} when given).
 *
 * <pre>
 * u8  reason           0 SHUTDOWN, 1 REDIRECT, 2 IDLE, 3 OVERLOADED
 * u32 drainTimeoutMs   how long the server keeps serving this connection
 * u16 redirectToLength, UTF-8 redirectTo ("host:port", empty when none)
 * u16 messageLength,    UTF-8 message (human-readable)
 * </pre>
 */
public record GoAway(Reason reason, int drainTimeoutMs, String redirectTo, String message)
    implements Message {
  public static final int MAX_TEXT_BYTES = 1024;

  /** Why the connection is being closed. */
  public enum Reason {
    SHUTDOWN(0),
    REDIRECT(1),
    IDLE(2),
    OVERLOADED(3);

    private final int code;

    Reason(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }

    static Reason fromCode(int code) {
      for (Reason reason : values()) {
        if (reason.code == code) {
          return reason;
        }
      }
      throw new ProtocolException(ErrorCode.INVALID_ARGUMENT, "unknown GoAway reason " + code);
    }
  }

  public GoAway {
    Objects.requireNonNull(reason, "reason");
    TextFields.require("redirectTo", redirectTo, MAX_TEXT_BYTES);
    TextFields.require("message", message, MAX_TEXT_BYTES);
  }

  @Override
  public MessageType type() {
    return MessageType.GO_AWAY;
  }

  @Override
  public void encode(PayloadWriter out) {
    out.u8(reason.code()).u32(drainTimeoutMs).string(redirectTo).string(message);
  }

  static GoAway decode(PayloadReader in) {
    return new GoAway(
        Reason.fromCode(in.u8("reason")),
        in.u32("drainTimeoutMs"),
        in.string("redirectTo", MAX_TEXT_BYTES),
        in.string("message", MAX_TEXT_BYTES));
  }
}
