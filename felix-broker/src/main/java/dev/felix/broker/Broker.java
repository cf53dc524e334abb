package dev.felix.broker;

import dev.felix.broker.core.BrokerContext;
import dev.felix.broker.core.BrokerCounters;
import dev.felix.broker.core.CursorRegistry;
import dev.felix.broker.core.GroupRegistry;
import dev.felix.broker.core.PublishCoordinator;
import dev.felix.broker.core.ShutdownWait;
import dev.felix.broker.core.Stream;
import dev.felix.broker.core.StreamRegistry;
import dev.felix.broker.core.SubscribeCoordinator;
import dev.felix.broker.storage.BrokerStorage;
import dev.felix.broker.time.ExecutorScheduler;
import dev.felix.broker.time.Scheduler;
import dev.felix.error.ConflictException;
import dev.felix.error.ErrorCode;
import dev.felix.error.LimitException;
import dev.felix.error.NotFoundException;
import dev.felix.error.ProtocolException;
import dev.felix.storage.log.MemoryBudget;
import dev.felix.storage.time.Clock;
import dev.felix.wire.message.Publish;
import dev.felix.wire.message.PublishBatch;
import dev.felix.wire.message.PublishTarget;
import dev.felix.wire.message.RecordBatch;
import dev.felix.wire.message.ShardOffset;
import dev.felix.wire.message.StreamRef;
import dev.felix.wire.message.Subscribe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The broker core, the front door the server (and tests) use: publish to streams, subscribe to
 * them, create and inspect streams. No network code: the server turns frames into these calls and
 * {@link EventSink} offers into frames.
 *
 * <p>Threading: every method is thread-safe and bounded: none waits for a subscriber, a timer or
 * another stream. Flow control is a return value ({@link PublishResult}); callbacks (acks that
 * complete later, {@link PublishResult#retryWhen()}) run on scheduler threads. See {@code
 * docs/broker.md}.
 */
public final class Broker implements AutoCloseable {
  private final BrokerContext context;
  private final StreamRegistry registry;
  private final PublishCoordinator publisher;
  private final SubscribeCoordinator subscriber;
  private final GroupRegistry groups;
  private final CursorRegistry cursors;
  private final Caches caches;
  private final ExecutorScheduler ownedScheduler;

  private Broker(BrokerConfig config, Clock clock, Scheduler scheduler, ExecutorScheduler owned) {
    this.context =
        new BrokerContext(
            Objects.requireNonNull(config, "config"),
            Objects.requireNonNull(clock, "clock"),
            Objects.requireNonNull(scheduler, "scheduler"),
            new BrokerCounters(),
            new BrokerStorage(config, clock));
    this.registry = new StreamRegistry(context);
    this.publisher = new PublishCoordinator(context, registry);
    this.subscriber = new SubscribeCoordinator(context, registry);
    this.caches = new Caches(config, clock, context.storage());
    registry.recoverDurableStreams();
    caches.recoverDurableCaches();
    this.groups = new GroupRegistry(context, registry, publisher);
    this.cursors = CursorRegistry.open(context, registry);
    this.ownedScheduler = owned;
  }

  /** A broker on the system clock with its own scheduler threads, stopped by {@link #close()}. */
  public static Broker start(BrokerConfig config) {
    ExecutorScheduler scheduler = new ExecutorScheduler(config.schedulerThreads());
    return new Broker(config, Clock.system(), scheduler, scheduler);
  }

  /** A broker on the given clock and scheduler (tests: a manual clock and scheduler). */
  public static Broker create(BrokerConfig config, Clock clock, Scheduler scheduler) {
    return new Broker(config, clock, scheduler, null);
  }

  /**
   * Whether the broker's own scheduler threads run a task within {@code within} (see {@link
   * ExecutorScheduler#responsive}); always true for a broker on a scheduler the caller provided
   * ({@link #create}), whose health is the caller's to watch.
   */
  public boolean schedulerResponsive(Duration within) {
    return ownedScheduler == null || ownedScheduler.responsive(within);
  }

  public BrokerConfig config() {
    return context.config();
  }

  /** The storage threads and lanes (tests in this package stall them to order a race). */
  BrokerStorage storage() {
    return context.storage();
  }

  public BrokerMetrics metrics() {
    return context.counters();
  }

  /** The record bytes memory streams hold together, their bound and the refusals it caused. */
  public MemoryBudget streamMemory() {
    return context.storage().memoryBudget();
  }

  /**
   * Appends a batch to its stream (created on first use when allowed). Records go to the explicit
   * shard of the target, else to {@code hash(key) % shards}, else round robin per call.
   *
   * @return accepted (with the ack to send for {@code AckMode.LEADER}) or blocked (retry later)
   * @throws NotFoundException {@code NOT_FOUND}: unknown stream, auto-create off
   * @throws LimitException {@code LIMIT_EXCEEDED} (stream limit, records or bytes per batch) or
   *     {@code MESSAGE_TOO_LARGE} (a record or key above its limit, a batch above the log bound)
   * @throws dev.felix.error.ProtocolException {@code INVALID_ARGUMENT}: no such shard
   */
  public PublishResult publish(PublishBatch batch) {
    return publisher.publish(batch.target(), batch.records());
  }

  /** Publishes one record; as {@link #publish(PublishBatch)}. */
  public PublishResult publish(Publish publish) {
    return publisher.publish(publish.target(), RecordBatch.of(List.of(publish.record())));
  }

  /** Publishes {@code records} to {@code target}; as {@link #publish(PublishBatch)}. */
  public PublishResult publish(PublishTarget target, RecordBatch records) {
    return publisher.publish(target, records);
  }

  /**
   * Opens a subscription: one cursor per requested shard from the requested start (a backlog is
   * replayed, then live records follow with no gap and no duplicate), delivering to {@code sink}.
   *
   * @param subscriptionId the id the server assigned (> 0), echoed in the events
   * @throws NotFoundException {@code NOT_FOUND} (unknown stream, auto-create off) or {@code
   *     OFFSET_OUT_OF_RANGE} (start offset not retained and no fallback requested, or above the
   *     end)
   * @throws LimitException {@code LIMIT_EXCEEDED}: too many subscriptions
   * @throws dev.felix.error.ProtocolException {@code INVALID_ARGUMENT} (no such shard)
   */
  public Subscription subscribe(Subscribe request, int subscriptionId, EventSink sink) {
    if (request.hasGroup()) {
      return groups.join(request, subscriptionId, sink);
    }
    return subscriber.subscribe(request, subscriptionId, sink);
  }

  /**
   * Opens a subscription that resumes the named cursor: each shard the cursor has a committed
   * position for starts there, the others at the request's start. The cursor moves only by {@link
   * #commitCursor}. See {@code docs/broker.md} section 5.
   *
   * @throws dev.felix.error.ProtocolException {@code INVALID_ARGUMENT}: a group subscribe, or a bad
   *     cursor name
   * @throws NotFoundException as {@link #subscribe(Subscribe, int, EventSink)}
   */
  public Subscription subscribe(
      Subscribe request, String cursor, int subscriptionId, EventSink sink) {
    if (request.hasGroup()) {
      throw new ProtocolException(
          ErrorCode.INVALID_ARGUMENT, "a consumer group has positions of its own, not a cursor");
    }
    return subscriber.subscribe(
        request, CursorRegistry.checkName(cursor), cursors, subscriptionId, sink);
  }

  /**
   * Commits a named cursor's positions (per shard, the next offset to deliver: every record below
   * it was consumed), creating the cursor on its first commit. Never moves a position backwards;
   * the stage completes with the cursor's positions once they are stored (on disk, fsynced off the
   * caller's thread, for a durable stream; in memory, lost with a restart, for a memory stream).
   *
   * @throws NotFoundException {@code NOT_FOUND} (no such stream) or {@code OFFSET_OUT_OF_RANGE} (an
   *     offset past its shard's end)
   * @throws LimitException {@code LIMIT_EXCEEDED}: a new cursor past {@code maxCursors}
   */
  public CompletionStage<List<ShardOffset>> commitCursor(
      StreamRef stream, String cursor, List<ShardOffset> offsets) {
    return cursors.commit(stream, cursor, offsets);
  }

  /** The named cursors of {@code stream}, with positions and lag. */
  public List<CursorInfo> cursors(StreamRef stream) {
    return cursors.list(stream);
  }

  /** Resets a named cursor (its next subscription starts at its requested start); false if none. */
  public boolean deleteCursor(StreamRef stream, String cursor) {
    return cursors.delete(stream, CursorRegistry.checkName(cursor));
  }

  /**
   * Joins the consumer group {@code request} names (created on first use, starting at the request's
   * start position; after a restart a durable stream's group resumes at its stored position).
   * Records are leased to the member and delivered to {@code sink} as event batches; ack, nack and
   * credit through the returned subscription. See {@code docs/broker.md} section 14.
   *
   * @throws NotFoundException as {@link #subscribe}
   * @throws LimitException {@code LIMIT_EXCEEDED}: too many subscriptions or groups
   */
  public QueueSubscription join(Subscribe request, int subscriptionId, EventSink sink) {
    return groups.join(request, subscriptionId, sink);
  }

  /** Every consumer group's position and counters (a snapshot). */
  public List<GroupInfo> groups() {
    return groups.infos();
  }

  /**
   * Sets a consumer group's own settings (applied at once if it runs; used when a join creates it).
   *
   * @return true when the group had no settings of its own before
   * @throws dev.felix.error.ProtocolException {@code INVALID_ARGUMENT} naming the wrong field
   * @throws LimitException {@code LIMIT_EXCEEDED}: {@code queues.maxGroups} groups have settings
   */
  public boolean putGroupSettings(StreamRef stream, String group, GroupSettings settings) {
    return groups.putSettings(stream, group, settings);
  }

  /** Drops a group's own settings (undoing a put); a running group takes the broker's values. */
  public void clearGroupSettings(StreamRef stream, String group) {
    groups.clearSettings(stream, group);
  }

  /** A consumer group's own settings, when set through {@link #putGroupSettings}. */
  public Optional<GroupSettings> groupSettings(StreamRef stream, String group) {
    return groups.settings(stream, group);
  }

  /**
   * Deletes a consumer group: its settings, its members (ended with {@code UNAVAILABLE}) and its
   * stored position and counters.
   *
   * @return false when there was no such group
   */
  public boolean deleteGroup(StreamRef stream, String group) {
    return groups.remove(stream, group);
  }

  /**
   * Counter {@code felix_queue_journal_dropped_total}: group position changes dropped because the
   * ack journal's buffer was full (each costs at most a redelivery after a crash).
   */
  public long queueJournalDroppedEntries() {
    return groups.journalDroppedEntries();
  }

  /** One consumer group's position and counters. */
  public Optional<GroupInfo> group(StreamRef stream, String name) {
    return groups.info(stream, name);
  }

  /**
   * Creates a stream with explicit settings.
   *
   * @throws ConflictException {@code ALREADY_EXISTS}
   * @throws LimitException {@code LIMIT_EXCEEDED}: stream limit
   * @throws IllegalArgumentException when {@code config} does not fit the broker settings
   */
  public StreamInfo createStream(StreamRef stream, StreamConfig config) {
    return registry.create(stream, config, true).info();
  }

  /**
   * Deletes a stream: its subscriptions and consumer groups end with {@code UNAVAILABLE} (the
   * groups' settings and stored positions go too), and a durable stream's files are removed.
   *
   * @return bytes of files removed (0 for a memory stream)
   * @throws NotFoundException {@code NOT_FOUND}
   */
  public long deleteStream(StreamRef stream) {
    long removed = registry.delete(stream);
    cursors.removeStream(stream);
    groups.streamDeleted(stream); // a stream created again under the name starts without them
    return removed;
  }

  public Optional<StreamInfo> stream(StreamRef stream) {
    Stream found = registry.find(stream);
    return found == null ? Optional.empty() : Optional.of(found.info());
  }

  /** Every stream's name (a snapshot). */
  public List<StreamRef> streams() {
    List<StreamRef> refs = new ArrayList<>();
    for (Stream stream : registry.all()) {
      refs.add(stream.ref());
    }
    return refs;
  }

  /** The named caches: create them, and make cache calls. */
  public Caches caches() {
    return caches;
  }

  /** Delivers every pending (batched) record now, e.g. before a graceful shutdown. */
  public void flush() {
    for (Stream stream : registry.all()) {
      stream.flush();
    }
  }

  /**
   * The broker's part of a graceful shutdown: refuses every later publish with {@code UNAVAILABLE},
   * waits until the publishes already accepted are in their logs, delivers what is batched, then
   * waits until every subscription's send queue has been handed to its sink, all within {@code
   * bound}. Afterwards every record the broker acknowledged, or ever will, has reached the sinks of
   * the subscriptions that kept up; the server closes its connections only after this.
   *
   * @return true when all of it finished within the bound
   */
  public boolean stopPublishing(Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    boolean appended = publisher.stop(deadline);
    flush();
    BrokerCounters counters = context.counters();
    boolean delivered = ShutdownWait.until(() -> counters.sendQueueBytes() == 0, deadline);
    return appended && delivered;
  }

  /**
   * Ends every subscription with {@code UNAVAILABLE}, frees the logs and stops an owned scheduler.
   * Publishes and subscribes afterwards fail with {@code UNAVAILABLE}.
   */
  @Override
  public void close() {
    groups.close();
    cursors.close();
    registry.close();
    caches.close();
    context.storage().close();
    if (ownedScheduler != null) {
      ownedScheduler.close();
    }
  }
}
