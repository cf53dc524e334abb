package dev.felix.wire.message;

import dev.felix.wire.MessageType;
import dev.felix.wire.PayloadReader;
import dev.felix.wire.PayloadWriter;

/**
 * Answer to {@link Ping}.
 *
 * <pre>
 * i64 nonce   copied from the Ping
 * </pre>
 */
public record Pong(long nonce) implements Message {
  @Override
  public MessageType type() {
    return MessageType.PONG;
  }

  @Override
  public void encode(PayloadWriter out) {
    out.i64(nonce);
  }

  static Pong decode(PayloadReader in) {
    return new Pong(in.i64("nonce"));
  }
}
