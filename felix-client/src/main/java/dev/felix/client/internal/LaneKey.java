package dev.felix.client.internal;

import dev.felix.wire.message.AckMode;
import dev.felix.wire.message.StreamRef;

/**
 * Records that can share a PublishBatch: same stream, same shard choice, same ack mode (all three
 * live in the batch's PublishTarget).
 *
 * @param stream the stream
 * @param shard the explicit shard, or -1
 * @param ackMode the ack mode
 */
record LaneKey(StreamRef stream, int shard, AckMode ackMode) {

  /**
   * Payload bytes of a PublishBatch before its records: the StreamRef (three length-prefixed ASCII
   * names), the PublishTarget's fixed 21 bytes and the record count (protocol section 6.4).
   */
  int batchOverheadBytes() {
    return 3
        + stream.tenant().length()
        + stream.namespace().length()
        + stream.stream().length()
        + 21
        + 4;
  }
}
