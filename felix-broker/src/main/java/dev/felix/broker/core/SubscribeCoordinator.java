package dev.felix.broker.core;

import dev.felix.broker.EventSink;
import dev.felix.broker.Subscription;
import dev.felix.error.ErrorCode;
import dev.felix.error.ProtocolException;
import dev.felix.wire.message.ShardOffset;
import dev.felix.wire.message.StartPosition;
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
    return subscribe(request, null, null, subscriptionId, sink);
  }

  /**
   * Subscribes like {@link #subscribe(Subscribe, int, EventSink)}; with a {@code cursor} name each
   * shard for which {@code cursors} stores a position starts there (the first record not yet
   * consumed), the others at the requested start. A stored position above the shard's end (a torn
   * tail cut at recovery) starts at the end; one below the retained start, at the retained start.
   */
  public Subscription subscribe(
      Subscribe request,
      String cursor,
      CursorRegistry cursors,
      int subscriptionId,
      EventSink sink) {
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
    counters.reserveSubscription(context.config().maxSubscriptions());
    int first = request.shard() < 0 ? 0 : request.shard();
    int last = request.shard() < 0 ? shards - 1 : request.shard();
    boolean fromEarliest = (request.options() & Subscribe.FROM_EARLIEST_IF_OUT_OF_RANGE) != 0;
    BrokerSubscription subscription = new BrokerSubscription(subscriptionId, stream, sink, context);
    ShardCursor[] shardCursors = new ShardCursor[last - first + 1];
    List<ShardOffset> starts = new ArrayList<>(shardCursors.length);
    int locked = first - 1;
    try {
      for (int shard = first; shard <= last; shard++) {
        stream.shard(shard).lock();
        locked = shard;
      }
      for (int shard = first; shard <= last; shard++) {
        StartPosition start = request.start();
        boolean fallBack = fromEarliest;
        Long stored =
            cursor == null ? null : cursors.position(stream.ref(), cursor, shard).orElse(null);
        if (stored != null) {
          start = StartPosition.offset(Math.min(stored, stream.shard(shard).endOffset()));
          fallBack = true;
        }
        ShardCursor shardCursor = stream.shard(shard).attachLocked(subscription, start, fallBack);
        shardCursors[shard - first] = shardCursor;
        starts.add(new ShardOffset(shard, shardCursor.nextOffset));
      }
      subscription.started(shardCursors, starts);
    } catch (RuntimeException e) {
      for (ShardCursor attached : shardCursors) {
        if (attached != null) {
          attached.shard.detach(attached);
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
    for (ShardCursor attached : shardCursors) {
      if (!attached.live) {
        attached.shard.scheduleCatchUp(attached);
      }
    }
    return subscription;
  }
}
