package dev.felix.broker.core;

import dev.felix.broker.EventSink;
import dev.felix.broker.GroupInfo;
import dev.felix.broker.QueueConfig;
import dev.felix.broker.QueueSubscription;
import dev.felix.broker.time.Cancellable;
import dev.felix.error.ErrorCode;
import dev.felix.error.LimitException;
import dev.felix.error.ProtocolException;
import dev.felix.error.UnavailableException;
import dev.felix.wire.Names;
import dev.felix.wire.message.StreamRef;
import dev.felix.wire.message.Subscribe;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Every consumer group of the broker by stream and name, bounded by {@code queues.maxGroups}, and
 * the position store their durable streams share. A group is created when its first member joins
 * (starting where that member's Subscribe says, or at its stored position after a restart) and
 * lives until its stream is deleted or the broker closes, so a memory stream's group keeps its
 * position while no member is joined.
 *
 * <p>Threading: lookups are lock-free; creation and {@link #close()} are serialised by {@link
 * #createLock}, which makes the limit check and the insert one step.
 */
public final class GroupRegistry implements AutoCloseable {
  /** Position flushes queued on their storage lane before a tick is skipped: one is plenty. */
  private static final long POSITION_LANE_BYTES = 1;

  private final BrokerContext context;
  private final StreamRegistry streams;
  private final DeadLetters deadLetters;
  private final GroupPositions positions;
  private final ConcurrentHashMap<ConsumerGroup.Key, ConsumerGroup> groups =
      new ConcurrentHashMap<>();
  private final Object createLock = new Object();
  private Cancellable flushTimer;
  private volatile boolean closed;

  public GroupRegistry(
      BrokerContext context, StreamRegistry streams, PublishCoordinator publisher) {
    this.context = context;
    this.streams = streams;
    QueueConfig config = context.config().queues();
    this.deadLetters = new DeadLetters(streams, publisher, config.deadLetterSuffix());
    this.positions =
        context
            .config()
            .dataDir()
            .map(dir -> GroupPositions.open(dir, context.storage().newLane(POSITION_LANE_BYTES)))
            .orElse(null);
    if (positions != null) {
      scheduleFlush();
    }
  }

  private void scheduleFlush() {
    long delay = TimeUnit.MILLISECONDS.toNanos(context.config().queues().positionFlushMs());
    Cancellable timer =
        context
            .scheduler()
            .schedule(
                delay,
                () -> {
                  boolean resync = positions.takeResync();
                  for (ConsumerGroup group : groups.values()) {
                    group.recordOnTick(resync);
                  }
                  positions.tick();
                  if (!closed) {
                    scheduleFlush();
                  }
                });
    synchronized (createLock) {
      flushTimer = timer;
    }
  }

  /**
   * Joins the group {@code request} names (creating it on first use) as a member delivering to
   * {@code sink}.
   *
   * @throws dev.felix.error.NotFoundException {@code NOT_FOUND} (unknown stream, auto-create off)
   *     or {@code OFFSET_OUT_OF_RANGE} (a new group's start)
   * @throws LimitException {@code LIMIT_EXCEEDED}: too many subscriptions or groups
   * @throws ProtocolException {@code INVALID_ARGUMENT}: no such shard, or a stream name too long
   *     for its dead-letter stream's name
   */
  public QueueSubscription join(Subscribe request, int subscriptionId, EventSink sink) {
    Objects.requireNonNull(sink, "sink");
    if (subscriptionId <= 0) {
      throw new IllegalArgumentException("subscription ids are > 0: " + subscriptionId);
    }
    if (!request.hasGroup()) {
      throw new IllegalArgumentException("not a group subscribe: " + request);
    }
    Stream stream = streams.forUse(request.stream());
    if (request.shard() >= stream.shardCount()) {
      throw new ProtocolException(
          ErrorCode.INVALID_ARGUMENT,
          "shard "
              + request.shard()
              + " does not exist: "
              + stream.ref()
              + " has "
              + stream.shardCount());
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
    GroupMember member;
    try {
      member =
          groupFor(stream, request)
              .join(request.shard(), request.maxInFlight(), subscriptionId, sink);
    } catch (RuntimeException e) {
      counters.subscriptions.decrementAndGet();
      throw e;
    }
    counters.subscriptionsOpened.increment();
    return member;
  }

  private ConsumerGroup groupFor(Stream stream, Subscribe request) {
    ConsumerGroup.Key key = new ConsumerGroup.Key(stream.ref(), request.group());
    ConsumerGroup group = groups.get(key);
    if (group != null && group.stream() == stream && !group.isClosed()) {
      return group;
    }
    synchronized (createLock) {
      group = groups.get(key);
      if (group != null && group.stream() == stream && !group.isClosed()) {
        return group;
      }
      if (closed) {
        throw new UnavailableException(ErrorCode.UNAVAILABLE, "the broker is closed");
      }
      if (group != null) {
        groups.remove(key); // its stream was deleted and created again: a new group
      }
      int maxGroups = context.config().queues().maxGroups();
      if (groups.size() >= maxGroups) {
        throw new LimitException(
            ErrorCode.LIMIT_EXCEEDED,
            "cannot create group " + request.group() + ": the broker holds " + maxGroups);
      }
      String deadLetterName = deadLetters.streamOf(stream.ref()).stream();
      if (!Names.isValid(deadLetterName)) {
        throw new ProtocolException(
            ErrorCode.INVALID_ARGUMENT,
            "stream " + stream.ref() + " has no valid dead-letter name (" + deadLetterName + ")");
      }
      ConsumerGroup created =
          new ConsumerGroup(
              key,
              stream,
              context,
              deadLetters,
              stream.config().durable() ? positions : null,
              request.start(),
              (request.options() & Subscribe.FROM_EARLIEST_IF_OUT_OF_RANGE) != 0);
      created.attach();
      groups.put(key, created);
      return created;
    }
  }

  /** Every live group's figures. */
  public List<GroupInfo> infos() {
    List<GroupInfo> infos = new ArrayList<>();
    for (ConsumerGroup group : groups.values()) {
      if (!group.isClosed()) {
        infos.add(group.info());
      }
    }
    return infos;
  }

  /** One group's figures. */
  public Optional<GroupInfo> info(StreamRef stream, String name) {
    ConsumerGroup group = groups.get(new ConsumerGroup.Key(stream, name));
    return group == null || group.isClosed() ? Optional.empty() : Optional.of(group.info());
  }

  /** Ends every member, flushes the positions (on this thread) and stops the flush timer. */
  @Override
  public void close() {
    List<ConsumerGroup> closing;
    synchronized (createLock) {
      if (closed) {
        return;
      }
      closed = true;
      if (flushTimer != null) {
        flushTimer.cancel();
      }
      closing = new ArrayList<>(groups.values());
      groups.clear();
    }
    for (ConsumerGroup group : closing) {
      group.close();
      group.recordOnTick(false);
    }
    if (positions != null) {
      positions.close();
    }
  }
}
