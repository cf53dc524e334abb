package dev.felix.broker.core;

import dev.felix.broker.EventSink;
import dev.felix.broker.Subscription;
import dev.felix.error.ErrorCode;
import dev.felix.error.LimitException;
import dev.felix.error.ProtocolException;
import dev.felix.wire.message.ShardOffset;
import dev.felix.wire.message.Subscribe;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The subscribe path: resolve the stream, reserve a subscription slot, then resolve the start
 * position and attach a cursor on every requested shard while holding all their locks (in shard
 * order), so the subscription starts atomically and an out-of-range start leaves nothing behind.
 * Lagging cursors then catch up on scheduler threads.
 *
 * <p>Threading: stateless; safe from any thread.
 */
public final class SubscribeCoordinator {
  private final BrokerContext context;
  private final StreamRegistry registry;

  public SubscribeCoordinator(BrokerContext context, StreamRegistry registry) {
    this.context = context;
    this.registry = registry;
  }

  /** See {@code Broker#subscribe}. */
  public Subscription subscribe(Subscribe request, int subscriptionId, EventSink sink) {
    Objects.requireNonNull(sink, "sink");
    if (subscriptionId <= 0) {
      throw new IllegalArgumentException("subscription ids are > 0: " + subscriptionId);
    }
    if (request.hasGroup()) {
      throw new IllegalArgumentException("group subscribes go to GroupRegistry: " + request);
    }
    Stream stream = registry.forUse(request.stream());
    int shards = stream.shardCount();
    if (request.shard() >= shards) {
      throw new ProtocolException(
          ErrorCode.INVALID_ARGUMENT,
          "shard " + request.shard() + " does not exist: " + stream.ref() + " has " + shards);
    }
    BrokerCounters counters = context.counters();
    if (counters.subscriptions.incrementAndGet() > context.config().maxSubscriptions()) {
      counters.subscriptions.decrementAndGet();
      throw new LimitException(
          ErrorCode.LIMIT_EXCEEDED,
          "the broker holds its maximum of "
              + context.config().maxSubscriptions()
              + " subscriptions");
    }
    int first = request.shard() < 0 ? 0 : request.shard();
    int last = request.shard() < 0 ? shards - 1 : request.shard();
    boolean fromEarliest = (request.options() & Subscribe.FROM_EARLIEST_IF_OUT_OF_RANGE) != 0;
    BrokerSubscription subscription = new BrokerSubscription(subscriptionId, stream, sink, context);
    ShardCursor[] cursors = new ShardCursor[last - first + 1];
    List<ShardOffset> starts = new ArrayList<>(cursors.length);
    int locked = first - 1;
    try {
      for (int shard = first; shard <= last; shard++) {
        stream.shard(shard).lock();
        locked = shard;
      }
      for (int shard = first; shard <= last; shard++) {
        ShardCursor cursor =
            stream.shard(shard).attachLocked(subscription, request.start(), fromEarliest);
        cursors[shard - first] = cursor;
        starts.add(new ShardOffset(shard, cursor.nextOffset));
      }
      subscription.started(cursors, starts);
    } catch (RuntimeException e) {
      for (ShardCursor cursor : cursors) {
        if (cursor != null) {
          cursor.shard.detach(cursor);
        }
      }
      counters.subscriptions.decrementAndGet();
      throw e;
    } finally {
      for (int shard = locked; shard >= first; shard--) {
        stream.shard(shard).unlock();
      }
    }
    counters.subscriptionsOpened.increment();
    for (ShardCursor cursor : cursors) {
      if (!cursor.live) {
        cursor.shard.scheduleCatchUp(cursor);
      }
    }
    return subscription;
  }
}
