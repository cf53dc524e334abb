package dev.felix.wire.message;

import dev.felix.wire.PayloadReader;
import dev.felix.wire.PayloadWriter;
import java.util.List;

/** The {@code u32 count, count x ShardOffset} list used by Subscribed, QueueAck and QueueNack. */
final class ShardOffsets {
  private ShardOffsets() {}

  static List<ShardOffset> decode(PayloadReader in, String field) {
    int count = in.count(field + " count", in.limits().maxBatchEntries(), ShardOffset.BYTES);
    ShardOffset[] entries = new ShardOffset[count];
    for (int i = 0; i < count; i++) {
      entries[i] = ShardOffset.decode(in);
    }
    return List.of(entries);
  }

  static void encode(PayloadWriter out, List<ShardOffset> entries) {
    out.u32(entries.size());
    for (ShardOffset entry : entries) {
      entry.encode(out);
    }
  }
}
