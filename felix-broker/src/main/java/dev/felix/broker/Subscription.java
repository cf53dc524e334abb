package dev.felix.broker;

import dev.felix.wire.message.ShardOffset;
import dev.felix.wire.message.StreamRef;
import java.util.List;

/**
 * An open subscription: a cursor per subscribed shard feeding one {@link EventSink} through a
 * bounded send queue. Obtained from {@link Broker#subscribe}; thread-safe.
 */
public interface Subscription {
  /** The id the server assigned (echoed in every EventBatch and EventsDropped). */
  int id();

  StreamRef stream();

  /** Per shard, the offset of the first record this subscription delivers (for Subscribed). */
  List<ShardOffset> startOffsets();

  /** The sink can take items again: resumes delivery. Cheap; call it from any thread. */
  void onWritable();

  /** Ends the subscription (Unsubscribe, connection closed). Idempotent; no sink callback. */
  void close();

  boolean isClosed();

  /** Gauge: encoded bytes waiting in the send queue. */
  long queuedBytes();

  /** Counter: event batches the sink accepted. */
  long deliveredBatches();

  /** Counter: records the sink accepted. */
  long deliveredRecords();

  /** Counter: records this subscription lost to its stream's drop policy or to log eviction. */
  long droppedRecords();
}
