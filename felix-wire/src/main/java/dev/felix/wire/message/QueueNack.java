package dev.felix.wire.message;

import dev.felix.error.ErrorCode;
import dev.felix.error.ProtocolException;
import dev.felix.wire.MessageType;
import dev.felix.wire.PayloadReader;
import dev.felix.wire.PayloadWriter;
import java.util.List;

/**
 * A group member gives records back for redelivery, now ({@code delayMs} 0) or after a delay. Each
 * nack counts as a delivery attempt towards the group's {@code max_deliveries}.
 *
 * <pre>
 * u32 subscriptionId
 * u32 delayMs                 0 = redeliver at once
 * u32 count, count x { i32 shard, i64 offset }   1..maxBatchEntries
 * </pre>
 */
public record QueueNack(int subscriptionId, int delayMs, List<ShardOffset> records)
    implements Message {
  public QueueNack {
    SubscriptionIds.require(subscriptionId);
    if (delayMs < 0) {
      throw new ProtocolException(ErrorCode.INVALID_ARGUMENT, "delayMs must be >= 0: " + delayMs);
    }
    records = List.copyOf(records);
    if (records.isEmpty()) {
      throw new ProtocolException(
          ErrorCode.INVALID_ARGUMENT, "queue nack needs at least one record");
    }
  }

  @Override
  public MessageType type() {
    return MessageType.QUEUE_NACK;
  }

  @Override
  public void encode(PayloadWriter out) {
    out.u32(subscriptionId).u32(delayMs);
    ShardOffsets.encode(out, records);
  }

  @Override
  public int sizeHint() {
    return 12 + records.size() * ShardOffset.BYTES;
  }

  static QueueNack decode(PayloadReader in) {
    return new QueueNack(
        in.u32("subscriptionId"), in.u32("delayMs"), ShardOffsets.decode(in, "record"));
  }
}
