package dev.felix.broker;

import dev.felix.wire.message.ShardOffset;
import java.util.List;

/**
 * A consumer-group member: a {@link Subscription} whose records are leased to it. Each delivered
 * record must be acked, nacked, or left to expire after the group's visibility timeout (then it is
 * redelivered to a live member). Closing the member gives its leases back at once.
 *
 * <p>Thread-safe; every call is bounded and never waits.
 */
public interface QueueSubscription extends Subscription {
  /** The group's name. */
  String group();

  /**
   * Ends the leases of {@code records}: the group's position may advance past them. Records this
   * member does not hold (already acked, expired and leased to another member, never delivered) are
   * ignored and counted as stale.
   *
   * @throws dev.felix.error.ProtocolException {@code INVALID_ARGUMENT}: a shard that does not exist
   */
  void ack(List<ShardOffset> records);

  /**
   * Gives records back for redelivery, at once ({@code delayMs} 0) or after {@code delayMs}. Each
   * delivery counts towards the group's {@code maxDeliveries}; past it the record is moved to the
   * dead-letter stream.
   *
   * @throws dev.felix.error.ProtocolException {@code INVALID_ARGUMENT}: a shard that does not exist
   */
  void nack(long delayMs, List<ShardOffset> records);

  /**
   * Grants {@code credits} more leases (the allowance is capped at the broker's {@code
   * maxInFlight}). Acks and nacks give a lease's credit back by themselves, so a member only needs
   * this to widen its allowance.
   */
  void credit(int credits);

  /** Gauge: records leased to this member now. */
  int inFlight();
}
