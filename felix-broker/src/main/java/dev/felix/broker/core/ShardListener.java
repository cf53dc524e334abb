package dev.felix.broker.core;

/**
 * What a consumer group hears from a shard it consumes. Called with the shard's lock held, so
 * implementations only note the event and schedule work; they never take another lock.
 */
interface ShardListener {
  /** Records were appended and flushed: there may be more to lease. */
  void onFlushed();

  /** The shard closed (stream deleted, broker closing). */
  void onShardClosed();
}
