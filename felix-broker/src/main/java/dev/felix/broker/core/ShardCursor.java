package dev.felix.broker.core;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One subscription's position in one shard. A cursor is either <em>catching up</em> (its next
 * offset is below what the shard has fanned out, so it reads the log itself, a bounded step at a
 * time on a scheduler thread) or <em>live</em> (it receives each batch the shard fans out). The
 * switch happens under the shard's lock exactly when the next offset reaches the fan-out point, so
 * the subscriber sees every offset once: no gap, no duplicate.
 *
 * <p>Threading: {@link #nextOffset} and {@link #live} are written only under the shard's lock;
 * {@code live} is volatile because subscriptions read it without that lock as a hint of whether to
 * schedule a catch-up step. {@link #stepScheduled} keeps at most one step queued per cursor.
 */
final class ShardCursor {
  final BrokerSubscription subscription;
  final Shard shard;
  final AtomicBoolean stepScheduled = new AtomicBoolean();
  long nextOffset;
  volatile boolean live;

  ShardCursor(BrokerSubscription subscription, Shard shard, long nextOffset, boolean live) {
    this.subscription = subscription;
    this.shard = shard;
    this.nextOffset = nextOffset;
    this.live = live;
  }
}
