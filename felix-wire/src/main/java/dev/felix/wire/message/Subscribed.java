package dev.felix.wire.message;

import dev.felix.wire.MessageType;
import dev.felix.wire.PayloadReader;
import dev.felix.wire.PayloadWriter;
import java.util.List;

/**
 * The subscription is open: its id (used by EventBatch, Unsubscribe, Credit and queue acks) and,
 * per shard, the offset of the first record it will deliver.
 *
 * <pre>
 * u32 subscriptionId
 * u32 count, count x { i32 shard, i64 nextOffset }
 * </pre>
 */
public record Subscribed(int subscriptionId, List<ShardOffset> startOffsets) implements Message {
  public Subscribed {
    SubscriptionIds.require(subscriptionId);
    startOffsets = List.copyOf(startOffsets);
  }

  @Override
  public MessageType type() {
    return MessageType.SUBSCRIBED;
  }

  @Override
  public void encode(PayloadWriter out) {
    out.u32(subscriptionId);
    ShardOffsets.encode(out, startOffsets);
  }

  @Override
  public int sizeHint() {
    return 8 + startOffsets.size() * ShardOffset.BYTES;
  }

  static Subscribed decode(PayloadReader in) {
    return new Subscribed(in.u32("subscriptionId"), ShardOffsets.decode(in, "shard"));
  }
}
