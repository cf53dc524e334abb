package dev.felix.wire.message;

import dev.felix.wire.MessageType;
import dev.felix.wire.PayloadReader;
import dev.felix.wire.PayloadWriter;

/**
 * Success without data (unsubscribe, queue ack, credit, delete of a stream). Empty payload; the
 * header's request id says which request succeeded.
 */
public record Ok() implements Message {
  public static final Ok INSTANCE = new Ok();

  @Override
  public MessageType type() {
    return MessageType.OK;
  }

  @Override
  public void encode(PayloadWriter out) {
    // empty payload
  }

  @Override
  public int sizeHint() {
    return 0;
  }

  static Ok decode(PayloadReader in) {
    return INSTANCE;
  }
}
