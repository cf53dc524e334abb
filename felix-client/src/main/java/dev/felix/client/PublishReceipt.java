package dev.felix.client;

import dev.felix.wire.message.StreamRef;
import java.util.Objects;

/**
 * Where a published record went.
 *
 * <p>With ack mode {@link dev.felix.wire.message.AckMode#LEADER} the broker acknowledged the
 * append: {@code shard} and {@code offset} are set. With {@link
 * dev.felix.wire.message.AckMode#NONE} nothing is acknowledged: the receipt only says the record
 * was handed to the transport, {@code shard} and {@code offset} are -1, and a later failure reaches
 * {@link ClientListener#onPublishFailed}.
 *
 * @param stream the stream published to
 * @param shard the shard that holds the record, or -1 when not acknowledged
 * @param offset the record's offset in that shard, or -1 when not acknowledged
 */
public record PublishReceipt(StreamRef stream, int shard, long offset) {
  /**
   * A receipt always names its stream.
   *
   * @param stream the stream published to
   * @param shard the shard, or -1 when not acknowledged
   * @param offset the offset, or -1 when not acknowledged
   */
  public PublishReceipt {
    Objects.requireNonNull(stream, "stream");
  }

  /**
   * A receipt for an ack-NONE publish: sent, not acknowledged.
   *
   * @param stream the stream published to
   * @return a receipt with shard and offset -1
   */
  public static PublishReceipt unacknowledged(StreamRef stream) {
    return new PublishReceipt(stream, -1, -1);
  }

  /**
   * True when the broker acknowledged the append (ack mode LEADER).
   *
   * @return whether shard and offset are known
   */
  public boolean acknowledged() {
    return offset >= 0;
  }
}
