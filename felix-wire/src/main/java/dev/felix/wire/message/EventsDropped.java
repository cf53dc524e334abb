package dev.felix.wire.message;

import dev.felix.error.ErrorCode;
import dev.felix.error.ProtocolException;
import dev.felix.wire.MessageType;
import dev.felix.wire.PayloadReader;
import dev.felix.wire.PayloadWriter;

/**
 * The broker dropped records this subscriber would have received (its send queue was full and the
 * stream's policy is drop_oldest or drop_newest). Sent on the subscription's stream, in order with
 * its events, so the application knows exactly where the gap is.
 *
 * <pre>
 * u32 subscriptionId
 * i32 shard
 * i64 droppedCount     records skipped since the previous notice
 * i64 nextOffset       offset of the next record this subscription will receive
 * </pre>
 */
public record EventsDropped(int subscriptionId, int shard, long droppedCount, long nextOffset)
    implements Message {
  public EventsDropped {
    SubscriptionIds.require(subscriptionId);
    if (shard < 0 || droppedCount < 1 || nextOffset < 0) {
      throw new ProtocolException(
          ErrorCode.INVALID_ARGUMENT,
          "invalid drop notice shard="
              + shard
              + " dropped="
              + droppedCount
              + " next="
              + nextOffset);
    }
  }

  @Override
  public MessageType type() {
    return MessageType.EVENTS_DROPPED;
  }

  @Override
  public void encode(PayloadWriter out) {
    out.u32(subscriptionId).i32(shard).i64(droppedCount).i64(nextOffset);
  }

  static EventsDropped decode(PayloadReader in) {
    return new EventsDropped(
        in.u32("subscriptionId"), in.i32("shard"), in.i64("droppedCount"), in.i64("nextOffset"));
  }
}
