package dev.felix.wire.message;

import dev.felix.error.ErrorCode;
import dev.felix.error.ProtocolException;

/** Subscription ids are server-assigned, per connection, in 1..2^31-1 (0 means "none"). */
final class SubscriptionIds {
  private SubscriptionIds() {}

  static int require(int subscriptionId) {
    if (subscriptionId <= 0) {
      throw new ProtocolException(
          ErrorCode.INVALID_ARGUMENT, "subscription id must be > 0: " + subscriptionId);
    }
    return subscriptionId;
  }
}
