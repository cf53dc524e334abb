package dev.felix.wire.message;

import dev.felix.wire.MessageType;
import dev.felix.wire.PayloadReader;
import dev.felix.wire.PayloadWriter;

/**
 * Close a subscription (a group member leaves its group and returns its leases).
 *
 * <pre>
 * u32 subscriptionId
 * </pre>
 */
public record Unsubscribe(int subscriptionId) implements Message {
  public Unsubscribe {
    SubscriptionIds.require(subscriptionId);
  }

  @Override
  public MessageType type() {
    return MessageType.UNSUBSCRIBE;
  }

  @Override
  public void encode(PayloadWriter out) {
    out.u32(subscriptionId);
  }

  static Unsubscribe decode(PayloadReader in) {
    return new Unsubscribe(in.u32("subscriptionId"));
  }
}
