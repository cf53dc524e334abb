package dev.felix.wire.message;

import dev.felix.wire.MessageType;
import dev.felix.wire.PayloadReader;
import dev.felix.wire.PayloadWriter;

/**
 * Liveness and round-trip probe; either side may send it and the other answers {@link Pong} with
 * the same nonce.
 *
 * <pre>
 * i64 nonce
 * </pre>
 */
public record Ping(long nonce) implements Message {
  @Override
  public MessageType type() {
    return MessageType.PING;
  }

  @Override
  public void encode(PayloadWriter out) {
    out.i64(nonce);
  }

  static Ping decode(PayloadReader in) {
    return new Ping(in.i64("nonce"));
  }
}
