package dev.felix.broker.core;

import dev.felix.broker.EventSink;
import dev.felix.broker.GroupInfo;
import dev.felix.broker.GroupSettings;
import dev.felix.broker.QueueConfig;
import dev.felix.error.ErrorCode;
import dev.felix.error.UnavailableException;
import dev.felix.wire.message.ShardOffset;
import dev.felix.wire.message.StartPosition;
import dev.felix.wire.message.StreamRef;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One consumer group on one stream: a {@link GroupShard} per shard and the members it leases
 * records to. Records are read from the shard's log (the group is the log's second projection, next
 * to subscription cursors) and delivered through each member's own {@link BrokerSubscription}, so
 * members get ordinary EventBatch frames; each record's offset identifies it in acks and nacks.
 *
 * <p>Leasing runs in <em>steps</em> on scheduler threads, triggered by new records (shard flush),
 * acks, nacks, credit, joins and expiries; at most one step is queued, and a step leases at most
 * {@link #RECORDS_PER_STEP} records, so no call holds the group's lock for long. New leases stop on
 * a shard when its ack window is full (back-pressure, counted in {@code windowFull}) or when no
 * member has allowance left.
 *
 * <p>Threading: {@link #lock} guards the shards' state, the members and the counters (volatile, so
 * gauges read them without the lock). Lock order: group lock, then a shard lock (to read its log),
 * then a subscription lock (to deliver); shards never take a group lock (their listener calls only
 * schedule a step), and members' ends reach the group through the scheduler.
 */
public final class ConsumerGroup implements ShardListener {
  /** Leases per step: bounds the time one step holds the group's lock. */
  static final int RECORDS_PER_STEP = 4096;

  /** A group's identity: stream and name. */
  record Key(StreamRef stream, String name) {}

  private final Key key;
  private final Stream stream;
  private final BrokerContext context;
  private final QueueConfig config;
  private final PositionRecorder recorder;
  private final GroupShard[] shards;

  /** Replaced whole by the admin API; read where each decision is made, so changes apply live. */
  private volatile GroupSettings settings;

  private final ReentrantLock lock = new ReentrantLock();
  private final GroupMembers members = new GroupMembers();
  private final AtomicBoolean stepScheduled = new AtomicBoolean();
  private int firstShard;
  private volatile boolean closed;
  private final GroupCounters counters = new GroupCounters();
  private final LeaseStep leases;
  private final LeaseExpiry expiry;
  private final DeadLetterOutcomes deadLetterOutcomes;
  private final GroupAcks acks;

  /**
   * A group starting, per shard, at its stored position (durable streams), else at {@code start} as
   * resolved for a subscription.
   *
   * @param positions where committed positions are kept; null: in memory only
   */
  ConsumerGroup(
      Key key,
      Stream stream,
      BrokerContext context,
      DeadLetters deadLetters,
      GroupPositions positions,
      GroupSettings settings,
      StartPosition start,
      boolean fromEarliestIfOutOfRange) {
    this.key = key;
    this.stream = stream;
    this.context = context;
    this.config = context.config().queues();
    this.settings = settings;
    int count = stream.shardCount();
    this.shards = new GroupShard[count];
    this.recorder =
        new PositionRecorder(
            positions, key, count, () -> context.scheduler().execute(this::journalWritten));
    this.deadLetterOutcomes = new DeadLetterOutcomes(this, counters, recorder, context);
    this.leases = new LeaseStep(this, stream, deadLetters, deadLetterOutcomes, counters);
    this.expiry = new LeaseExpiry(this, shards, members, counters, context);
    this.acks = new GroupAcks(this, shards, counters, recorder, context);
    long[] storedCounters = recorder.restoredCounters();
    if (storedCounters != null) {
      counters.restore(storedCounters); // figures continue across a restart
    }
    for (int s = 0; s < count; s++) {
      PositionView.Restored stored = recorder.restored(s);
      Shard shard = stream.shard(s);
      long from;
      long end;
      shard.lock();
      try {
        end = shard.endLocked();
        from =
            stored != null
                ? Math.min(stored.committed(), end)
                : shard.resolveStartLocked(start, fromEarliestIfOutOfRange);
      } finally {
        shard.unlock();
      }
      shards[s] = new GroupShard(s, config.maxUnackedPerShard(), from);
      if (stored != null) {
        shards[s].restoreDone(stored.runs(), stored.next(), end);
      }
      // Nothing to record when the store says exactly this already (a restart with its log whole).
      recorder.started(shards[s], stored != null && stored.committed() == from);
    }
  }

  /**
   * Starts listening to the shards (after construction, so no listener sees a half-built group).
   */
  void attach() {
    for (int s = 0; s < shards.length; s++) {
      stream.shard(s).addListener(this);
    }
  }

  String name() {
    return key.name();
  }

  Stream stream() {
    return stream;
  }

  GroupSettings settings() {
    return settings;
  }

  /** New settings, in force from the next decision each governs (see {@link GroupSettings}). */
  void settings(GroupSettings changed) {
    settings = changed;
    scheduleStep(); // a lower max-deliveries or a new dead-letter target matters to waiting records
  }

  /** The stream dead letters go to now. */
  StreamRef deadLetterStream() {
    StreamRef source = stream.ref();
    return new StreamRef(
        source.tenant(), source.namespace(), settings.deadLetterStreamOf(source.stream(), config));
  }

  boolean isClosed() {
    return closed;
  }

  // ---- members

  /** Adds a member delivering to {@code sink}. */
  GroupMember join(int shardFilter, int maxInFlight, int subscriptionId, EventSink sink) {
    int allowance =
        maxInFlight == 0 ? settings.maxInFlight() : Math.min(maxInFlight, config.maxInFlight());
    BrokerSubscription subscription = new BrokerSubscription(subscriptionId, stream, sink, context);
    GroupMember member;
    lock.lock();
    try {
      if (closed) {
        throw new UnavailableException(ErrorCode.UNAVAILABLE, "group " + this + " is closed");
      }
      member = new GroupMember(members.nextId(), shardFilter, allowance, subscription, this);
      List<ShardOffset> starts = new ArrayList<>();
      for (GroupShard shard : shards) {
        if (shardFilter < 0 || shardFilter == shard.shard) {
          starts.add(new ShardOffset(shard.shard, shard.committed()));
        }
      }
      subscription.started(new ShardCursor[0], starts);
      GroupMember joined = member;
      subscription.onEnd(() -> leave(joined));
      members.add(member);
    } finally {
      lock.unlock();
    }
    scheduleStep();
    return member;
  }

  /** A member left or crashed: its leases go back (redelivered to live members). */
  void leave(GroupMember member) {
    lock.lock();
    try {
      if (!members.remove(member)) {
        return;
      }
      for (GroupShard shard : shards) {
        for (GroupShard.Entry entry : shard.leasesOf(member.memberId)) {
          member.returned();
          shard.release(entry, false, settings.maxDeliveries());
        }
      }
    } finally {
      lock.unlock();
    }
    scheduleStep();
  }

  // ---- acks, nacks, credit (any thread; see GroupAcks)

  void ack(GroupMember member, List<ShardOffset> records) {
    acks.ack(member, records);
  }

  void nack(GroupMember member, long delayMs, List<ShardOffset> records) {
    acks.nack(member, delayMs, records);
  }

  void credit(GroupMember member, int credits) {
    acks.credit(member, credits);
  }

  // ---- leasing

  /** Queues one lease step unless one is queued (from any thread, under any lock). */
  void scheduleStep() {
    if (!closed && stepScheduled.compareAndSet(false, true)) {
      context.scheduler().execute(this::step);
    }
  }

  @Override
  public void onFlushed() {
    scheduleStep();
  }

  @Override
  public void onShardClosed() {
    if (!closed) {
      // The stream was deleted (a broker closing closes its groups first). This runs under the
      // shard's lock, so the members are ended on a scheduler thread.
      context.scheduler().execute(this::streamDeleted);
    }
  }

  private void step() {
    stepScheduled.set(false); // cleared first: a wake-up from now on queues another step
    boolean more;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      int budget = RECORDS_PER_STEP;
      long deadline =
          context.clock().nanoTime()
              + TimeUnit.MILLISECONDS.toNanos(settings.visibilityTimeoutMs());
      firstShard = (firstShard + 1) % shards.length; // no shard starves the others of the budget
      long redeliveries = counters.redeliveries;
      for (int i = 0; i < shards.length && budget > 0; i++) {
        GroupShard shard = shards[(firstShard + i) % shards.length];
        budget = leases.deadLetters(shard, budget);
        budget = leases.redeliver(shard, budget, deadline);
        budget = leases.leaseNew(shard, budget, deadline);
      }
      if (counters.redeliveries != redeliveries) {
        // Redeliveries are the possible duplicates: journaled with the step that made them (rare,
        // one entry per step), not only on the flush tick, so a kill does not lose their count.
        recorder.counters(counters.values());
      }
      recorder.leaseStepEnded(); // after the counters: a redelivery leaves once it is counted
      more = budget <= 0;
      expiry.armLocked();
    } finally {
      lock.unlock();
    }
    if (more) {
      scheduleStep();
    }
  }

  /** The next member (round robin) that may take a lease on {@code shard}, or null. */
  GroupMember pickLocked(int shard) {
    return members.pick(shard);
  }

  /** The group's lock (for the helpers that work on its state: expiry, dead-letter outcomes). */
  ReentrantLock lock() {
    return lock;
  }

  // ---- positions

  PositionRecorder recorder() {
    return recorder;
  }

  /**
   * The ack journal wrote what held-back allowances or leased records waited for: the records
   * leave, and members whose allowance came back may lease again.
   */
  private void journalWritten() {
    boolean allowance;
    lock.lock();
    try {
      allowance = recorder.releaseWritten();
    } finally {
      lock.unlock();
    }
    if (allowance) {
      scheduleStep();
    }
  }

  /** Records the counters, and every shard's state when a resync is due (flush tick). */
  void recordOnTick(boolean resync) {
    lock.lock();
    try {
      if (resync) {
        recorder.state(shards);
      }
      recorder.counters(counters.values());
    } finally {
      lock.unlock();
    }
  }

  // ---- closing and figures

  private void streamDeleted() {
    delete();
  }

  /** Closes the group and removes what is stored for it (its stream or the group was deleted). */
  void delete() {
    close();
    lock.lock();
    try {
      recorder.removeAll();
    } finally {
      lock.unlock();
    }
  }

  /** Ends every member with UNAVAILABLE; the committed positions stay where they are. */
  void close() {
    List<GroupMember> ending;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      expiry.cancelLocked();
      ending = members.clear();
    } finally {
      lock.unlock();
    }
    UnavailableException reason =
        new UnavailableException(ErrorCode.UNAVAILABLE, "consumer group " + this + " closed");
    for (GroupMember member : ending) {
      member.subscription.closeByBroker(reason);
    }
    for (int s = 0; s < shards.length; s++) {
      stream.shard(s).removeListener(this);
    }
  }

  GroupInfo info() {
    lock.lock();
    try {
      List<GroupInfo.ShardPosition> positionsNow = new ArrayList<>(shards.length);
      long inFlight = 0;
      for (GroupShard shard : shards) {
        long end = stream.shard(shard.shard).logMetrics().endOffset();
        positionsNow.add(
            new GroupInfo.ShardPosition(shard.shard, shard.committed(), shard.next(), end));
        inFlight += shard.leased();
      }
      return new GroupInfo(
          key.stream(),
          key.name(),
          members.size(),
          recorder.durable(),
          positionsNow,
          inFlight,
          recorder.recordsAwaitingJournal(),
          counters.acks,
          counters.nacks,
          counters.redeliveries,
          counters.expiredLeases,
          counters.deadLettered,
          counters.staleAcks,
          counters.lostRecords,
          counters.windowFull,
          settings);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return key.stream() + "#" + key.name();
  }
}
