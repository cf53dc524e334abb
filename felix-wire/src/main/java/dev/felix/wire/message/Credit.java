package dev.felix.wire.message;

import dev.felix.error.ErrorCode;
import dev.felix.error.ProtocolException;
import dev.felix.wire.MessageType;
import dev.felix.wire.PayloadReader;
import dev.felix.wire.PayloadWriter;

/**
 * Flow control: the subscriber may receive {@code credits} more records. Group members use it to
 * bound their leases; plain subscriptions may use it to pace delivery.
 *
 * <pre>
 * u32 subscriptionId
 * u32 credits                 >= 1, added to the current allowance
 * </pre>
 */
public record Credit(int subscriptionId, int credits) implements Message {
  public Credit {
    SubscriptionIds.require(subscriptionId);
    if (credits < 1) {
      throw new ProtocolException(ErrorCode.INVALID_ARGUMENT, "credits must be >= 1: " + credits);
    }
  }

  @Override
  public MessageType type() {
    return MessageType.CREDIT;
  }

  @Override
  public void encode(PayloadWriter out) {
    out.u32(subscriptionId).u32(credits);
  }

  static Credit decode(PayloadReader in) {
    return new Credit(in.u32("subscriptionId"), in.u32("credits"));
  }
}
