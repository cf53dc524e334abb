package dev.felix.wire.message;

import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.wire.MessageType;
import dev.felix.wire.PayloadReader;
import dev.felix.wire.PayloadWriter;

/**
 * A request failed (message type ERROR). The code is the stable number of {@link ErrorCode}; a code
 * this build does not know (from a newer peer) is kept as a number and reads as {@link
 * ErrorCode#INTERNAL}.
 *
 * <pre>
 * u16 code
 * u16 messageLength, UTF-8 message (<= 4096 bytes)
 * </pre>
 */
public record ErrorReply(int code, String message) implements Message {
  public static final int MAX_MESSAGE_BYTES = 4096;

  public ErrorReply {
    if (code < 0 || code > 0xFFFF) {
      throw new IllegalArgumentException("error code out of u16 range: " + code);
    }
    TextFields.require("message", message, MAX_MESSAGE_BYTES);
  }

  public ErrorReply(ErrorCode code, String message) {
    this(code.code(), message);
  }

  /** The reply for a failure, with its code and text. */
  public static ErrorReply of(FelixException failure) {
    String text = failure.getMessage() == null ? "" : failure.getMessage();
    return new ErrorReply(failure.code().code(), truncate(text));
  }

  public ErrorCode errorCode() {
    return ErrorCode.fromCode(code);
  }

  /** The matching typed exception, for clients that surface the error. */
  public FelixException toException() {
    return FelixException.of(
        errorCode(), message + (ErrorCode.isDefined(code) ? "" : " (code " + code + ")"));
  }

  @Override
  public MessageType type() {
    return MessageType.ERROR;
  }

  @Override
  public void encode(PayloadWriter out) {
    out.u16(code).string(message);
  }

  static ErrorReply decode(PayloadReader in) {
    return new ErrorReply(in.u16("code"), in.string("message", MAX_MESSAGE_BYTES));
  }

  private static String truncate(String text) {
    // Byte budget, approximated by chars/3 worst case so that the encoded text always fits. A
    // surrogate pair is kept whole or dropped, and an unpaired surrogate (no UTF-8 form) becomes
    // '?': either would make the constructor refuse the text and the failure go unanswered.
    int maxChars = MAX_MESSAGE_BYTES / 3;
    StringBuilder out = new StringBuilder(Math.min(text.length(), maxChars));
    for (int i = 0; i < text.length() && out.length() < maxChars; i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        if (out.length() + 2 > maxChars) {
          break;
        }
        out.append(c).append(text.charAt(++i));
      } else {
        out.append(Character.isSurrogate(c) ? '?' : c);
      }
    }
    return out.toString();
  }
}
