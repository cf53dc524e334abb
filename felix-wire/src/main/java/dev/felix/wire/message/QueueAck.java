package dev.felix.wire.message;

import dev.felix.error.ErrorCode;
import dev.felix.error.ProtocolException;
import dev.felix.wire.MessageType;
import dev.felix.wire.PayloadReader;
import dev.felix.wire.PayloadWriter;
import java.util.List;

/**
 * A group member finished records: their leases end and the group's position may advance.
 *
 * <pre>
 * u32 subscriptionId          the member's subscription
 * u32 count, count x { i32 shard, i64 offset }   1..maxBatchEntries
 * </pre>
 */
public record QueueAck(int subscriptionId, List<ShardOffset> records) implements Message {
  public QueueAck {
    SubscriptionIds.require(subscriptionId);
    records = List.copyOf(records);
    if (records.isEmpty()) {
      throw new ProtocolException(
          ErrorCode.INVALID_ARGUMENT, "queue ack needs at least one record");
    }
  }

  @Override
  public MessageType type() {
    return MessageType.QUEUE_ACK;
  }

  @Override
  public void encode(PayloadWriter out) {
    out.u32(subscriptionId);
    ShardOffsets.encode(out, records);
  }

  @Override
  public int sizeHint() {
    return 8 + records.size() * ShardOffset.BYTES;
  }

  static QueueAck decode(PayloadReader in) {
    return new QueueAck(in.u32("subscriptionId"), ShardOffsets.decode(in, "record"));
  }
}
