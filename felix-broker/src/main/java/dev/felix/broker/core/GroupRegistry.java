package dev.felix.broker.core;

import dev.felix.broker.EventSink;
import dev.felix.broker.GroupInfo;
import dev.felix.broker.GroupSettings;
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

  /**
   * Settings set through the admin API, by group, whether or not the group runs now (a join
   * creating it uses them). Bounded by {@code queues.maxGroups}; written under {@link #createLock}.
   */
  private final ConcurrentHashMap<ConsumerGroup.Key, GroupSettings> defined =
      new ConcurrentHashMap<>();

  private final Object createLock = new Object();
  private Cancellable flushTimer;
  private volatile boolean closed;

  public GroupRegistry(
      BrokerContext context, StreamRegistry streams, PublishCoordinator publisher) {
    this.context = context;
    this.streams = streams;
    QueueConfig config = context.config().queues();
    this.deadLetters = new DeadLetters(streams, publisher);
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
    counters.reserveSubscription(context.config().maxSubscriptions());
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
      GroupSettings settings =
          defined.getOrDefault(key, GroupSettings.defaults(context.config().queues()));
      String deadLetterName =
          settings.deadLetterStreamOf(stream.ref().stream(), context.config().queues());
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
              settings,
              request.start(),
              (request.options() & Subscribe.FROM_EARLIEST_IF_OUT_OF_RANGE) != 0);
      created.attach();
      groups.put(key, created);
      return created;
    }
  }

  /**
   * Sets a group's own settings (admin API), applied at once when the group runs.
   *
   * @return true when the group had no settings of its own before
   * @throws ProtocolException {@code INVALID_ARGUMENT} naming the field that is wrong
   * @throws LimitException {@code LIMIT_EXCEEDED}: {@code queues.maxGroups} groups have settings
   */
  public boolean putSettings(StreamRef stream, String name, GroupSettings settings) {
    QueueConfig config = context.config().queues();
    settings.validate(config);
    Names.require("group", name);
    String deadLetter = settings.deadLetterStreamOf(stream.stream(), config);
    if (deadLetter.equals(stream.stream())) {
      throw new ProtocolException(
          ErrorCode.INVALID_ARGUMENT,
          "deadLetterStream: must differ from the group's stream " + stream.stream());
    }
    ConsumerGroup.Key key = new ConsumerGroup.Key(stream, name);
    boolean created;
    synchronized (createLock) {
      created = !defined.containsKey(key);
      if (created && defined.size() >= config.maxGroups()) {
        throw new LimitException(
            ErrorCode.LIMIT_EXCEEDED,
            "cannot set group " + name + ": the broker holds " + config.maxGroups());
      }
      defined.put(key, settings);
    }
    ConsumerGroup running = groups.get(key);
    if (running != null && !running.isClosed()) {
      running.settings(settings);
    }
    return created;
  }

  /** Drops a group's own settings; a running group goes back to the broker-wide values. */
  public void clearSettings(StreamRef stream, String name) {
    ConsumerGroup.Key key = new ConsumerGroup.Key(stream, name);
    synchronized (createLock) {
      defined.remove(key);
    }
    ConsumerGroup running = groups.get(key);
    if (running != null && !running.isClosed()) {
      running.settings(GroupSettings.defaults(context.config().queues()));
    }
  }

  /** A group's own settings, when the admin API set them. */
  public Optional<GroupSettings> settings(StreamRef stream, String name) {
    return Optional.ofNullable(defined.get(new ConsumerGroup.Key(stream, name)));
  }

  /**
   * Deletes a group: forgets its settings, ends its members ({@code UNAVAILABLE}) and removes its
   * stored positions and counters.
   *
   * @return false when the broker knew nothing of it (no settings, not running)
   */
  public boolean remove(StreamRef stream, String name) {
    ConsumerGroup.Key key = new ConsumerGroup.Key(stream, name);
    ConsumerGroup running;
    boolean hadSettings;
    synchronized (createLock) {
      hadSettings = defined.remove(key) != null;
      running = groups.remove(key);
    }
    boolean live = running != null && !running.isClosed();
    if (running != null) {
      running.delete();
    } else if (positions != null) {
      Stream found = streams.find(stream);
      int shards = found == null ? 0 : found.shardCount();
      PositionRecorder stored = new PositionRecorder(positions, key, shards, () -> {});
      stored.removeAll(); // a durable group nobody joined since the restart
    }
    return hadSettings || live;
  }

  /**
   * Forgets the settings of every group of a deleted stream, and the stored positions of its groups
   * nobody joined since the start (running groups removed theirs when the stream closed them).
   */
  public void streamDeleted(StreamRef stream) {
    synchronized (createLock) {
      defined.keySet().removeIf(key -> key.stream().equals(stream));
    }
    if (positions != null) {
      positions.removeUnjoined(
          stream.tenant() + "/" + stream.namespace() + "/" + stream.stream() + "/");
    }
  }

  /** Position changes dropped because the journal buffer was full (metric). */
  public long journalDroppedEntries() {
    return positions == null ? 0 : positions.droppedEntries();
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
