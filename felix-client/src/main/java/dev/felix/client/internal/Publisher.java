package dev.felix.client.internal;

import dev.felix.client.BatchingPolicy;
import dev.felix.client.OutgoingMessage;
import dev.felix.client.PublishReceipt;
import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.error.LimitException;
import dev.felix.error.UnavailableException;
import dev.felix.wire.WireLimits;
import dev.felix.wire.message.AckMode;
import dev.felix.wire.message.PublishBatch;
import dev.felix.wire.message.PublishTarget;
import dev.felix.wire.message.RecordCodec;
import dev.felix.wire.message.RecordData;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Turns publishes into PublishBatch frames: queues records per {@link LaneKey}, bounds the local
 * queue ({@link QueueBound}) and the unacknowledged bytes per connection ({@link InflightWindow}),
 * sends on the ready connection and maps PublishAcks back to records ({@link PublishBatchRequest}).
 * Queued records survive a reconnect (they were never sent, so sending them later cannot duplicate
 * them); records in flight at a loss fail with {@code UNAVAILABLE}.
 *
 * <p><b>Threads:</b> thread-safe. Publishing threads append and may flush inline; the connection's
 * event loop flushes asynchronous batches; the scheduler flushes lingering batches, the rest of
 * long flushes and re-flushes after kicks; acks arrive on the event loop.
 */
final class Publisher implements SessionObserver {
  private static final long LANE_IDLE_NANOS = TimeUnit.MINUTES.toNanos(1);

  /** The batch bounds in force: policy and server limits combined. */
  record Caps(int maxRecords, long maxBytes, long lingerNanos) {}

  private final ClientContext context;
  private final BatchingPolicy policy;
  private final ConcurrentHashMap<LaneKey, PublishLane> lanes = new ConcurrentHashMap<>();
  private final QueueBound queue;
  private final AtomicInteger inflightBatches = new AtomicInteger();
  private final AtomicBoolean kickScheduled = new AtomicBoolean();
  private final AtomicBoolean windowBlocked = new AtomicBoolean();
  private final Object idle = new Object();
  private volatile Session session;
  private volatile boolean closed;

  Publisher(ClientContext context) {
    this.context = context;
    this.policy = context.options().batching();
    this.queue = new QueueBound(policy.maxQueuedBytes());
  }

  // ---- publishing ----

  /** Queues {@code message}; the future completes with its receipt or typed failure. */
  CompletableFuture<PublishReceipt> publish(OutgoingMessage message, boolean sync) {
    CompletableFuture<PublishReceipt> future = new CompletableFuture<>();
    if (closed) {
      future.completeExceptionally(
          new UnavailableException(ErrorCode.UNAVAILABLE, "the client is closed"));
      return future;
    }
    LaneKey key = new LaneKey(message.stream(), message.shard(), message.ackMode());
    RecordData record = message.record();
    int size = RecordCodec.encodedSize(record);
    int maxFrame = maxFramePayloadBytes();
    if (key.batchOverheadBytes() + size > maxFrame) {
      future.completeExceptionally(tooLarge(key, size, maxFrame));
      return future;
    }
    long now = System.nanoTime();
    long deadline = now + context.requestTimeoutNanos();
    if (!reserve(size, sync, deadline)) {
      future.completeExceptionally(
          new LimitException(
              ErrorCode.BACKPRESSURE,
              "the local publish queue is full ("
                  + queue.maxBytes()
                  + " bytes, BatchingPolicy.maxQueuedBytes): the broker or the connection is"
                  + " slower than the publisher"));
      return future;
    }
    PendingRecord pending = new PendingRecord(record, size, future, sync, now, deadline);
    while (true) {
      PublishLane lane = lanes.computeIfAbsent(key, k -> new PublishLane(k, this));
      PublishLane.Action action = lane.append(pending, caps(session));
      switch (action) {
        case RETIRED -> {
          lanes.remove(key, lane);
          continue;
        }
        case FLUSH_NOW -> lane.flushInline();
        case SCHEDULE_NOW -> flushSoon(lane);
        case SCHEDULE_LINGER -> scheduleFlush(lane, policy.linger().toNanos());
        case NONE -> {}
      }
      return future;
    }
  }

  private boolean reserve(int size, boolean sync, long deadline) {
    if (!sync) {
      return queue.tryReserve(size);
    }
    try {
      return queue.reserve(size, deadline);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private int maxFramePayloadBytes() {
    Session s = session;
    return s != null && s.limits() != null
        ? s.limits().maxFramePayloadBytes()
        : WireLimits.DEFAULTS.maxFramePayloadBytes();
  }

  /** The batch bounds for {@code s} (the wire defaults while no connection is known). */
  Caps caps(Session s) {
    Limits limits = s == null ? null : s.limits();
    int maxRecords = policy.maxBatchRecords();
    long maxBytes = policy.maxBatchBytes();
    if (limits != null) {
      maxRecords = Math.min(maxRecords, limits.maxRecordsPerBatch());
      maxBytes = Math.min(maxBytes, limits.maxFramePayloadBytes());
      // A batch larger than the window could only ever be sent alone.
      maxBytes = Math.max(1024, Math.min(maxBytes, limits.maxInflightBytes()));
    } else {
      maxRecords = Math.min(maxRecords, WireLimits.DEFAULTS.maxRecordsPerBatch());
    }
    return new Caps(maxRecords, maxBytes, policy.linger().toNanos());
  }

  /**
   * A flush as a task of the connection's event loop, which sends what the lane holds when it runs
   * (natural batching) without waking the scheduler thread first; the scheduler when no connection
   * is ready.
   */
  private void flushSoon(PublishLane lane) {
    Session s = readySession();
    if (s == null || !s.executeOnLoop(lane::flush)) {
      context.threads().execute(lane::flush);
    }
  }

  /** Continues a lane's flush on the scheduler thread. */
  void flushLater(PublishLane lane) {
    context.threads().execute(lane::flush);
  }

  void scheduleFlush(PublishLane lane, long delayNanos) {
    var unused = context.threads().schedule(lane::flush, delayNanos);
  }

  Session readySession() {
    Session s = session;
    return s != null && s.isReady() ? s : null;
  }

  /** False when the control stream is above its mark; {@link #kick()} follows when it drains. */
  boolean canWrite(Session s) {
    return s.isWritable();
  }

  /**
   * Takes window room for a LEADER batch. The blocked flag is raised before the second try, so an
   * ack that frees room in between always sees it and kicks the lanes.
   */
  /** A lane waits for answers (its batch bound): the next answer kicks the lanes. */
  void markWindowBlocked() {
    windowBlocked.set(true);
  }

  boolean tryAcquireWindow(Session s, long frameBytes) {
    if (s.window().tryAcquire(frameBytes)) {
      return true;
    }
    windowBlocked.set(true);
    return s.window().tryAcquire(frameBytes);
  }

  /**
   * Encodes and writes one batch taken from a lane (the lane's flusher thread). A connection that
   * stopped taking requests since the batch was cut (GoAway) gets nothing: the batch goes back to
   * the lane for the next connection, as it was never sent.
   */
  void send(PublishLane lane, PublishLane.Batch batch) {
    LaneKey key = lane.key();
    if (batch.records().isEmpty()) {
      releaseQueued(batch.recordBytes());
      return;
    }
    List<RecordData> records = new ArrayList<>(batch.records().size());
    for (PendingRecord pending : batch.records()) {
      records.add(pending.record());
    }
    Session s = batch.session();
    // Acknowledged publishes are idempotent when both sides want it: the lane's producer id and
    // the batch's sequence let the broker recognise a resend after a lost connection.
    boolean idempotent =
        key.ackMode() == AckMode.LEADER
            && context.options().idempotence()
            && s.idempotentProducers();
    PublishTarget target =
        new PublishTarget(
            key.stream(),
            key.shard(),
            idempotent ? lane.producerId() : 0,
            idempotent ? batch.sequence() : 0,
            key.ackMode());
    // Encoded straight from the records when the request id is known: one buffer per batch.
    IntFunction<ByteBuffer> message = id -> PublishBatch.encodeFrame(id, target, records);
    if (key.ackMode() == AckMode.LEADER) {
      inflightBatches.incrementAndGet();
      PublishBatchRequest request = new PublishBatchRequest(this, s, lane, batch, s.deadline());
      if (!s.sendIfReady(message, request)) {
        inflightBatches.decrementAndGet();
        lane.batchDone();
        s.window().release(batch.frameBytes());
        if (batch.resend()) {
          lane.resend(batch); // keep it whole: it may have been appended already
        } else {
          lane.requeue(batch.records());
        }
        return;
      }
      releaseQueued(batch.recordBytes());
      return;
    }
    if (!s.isReady()) {
      lane.requeue(batch.records());
      return;
    }
    releaseQueued(batch.recordBytes());
    boolean sent = s.sendUnanswered(message, key.stream());
    Completion completion = new Completion(context.callbacks());
    for (PendingRecord pending : batch.records()) {
      if (sent) {
        completion.succeed(pending, PublishReceipt.unacknowledged(key.stream()));
      } else {
        completion.fail(
            pending,
            new UnavailableException(
                ErrorCode.UNAVAILABLE, "the connection closed before the publish was sent"));
      }
    }
    completion.finish();
  }

  private void releaseQueued(long bytes) {
    queue.release(bytes);
    notifyIdle();
  }

  /** A LEADER batch got its answer or failed: frees its window room. Any thread. */
  void onBatchDone(Session s, long frameBytes) {
    s.window().release(frameBytes);
    inflightBatches.decrementAndGet();
    if (windowBlocked.getAndSet(false)) {
      kick();
    }
    notifyIdle();
  }

  void rejectOversized(LaneKey key, PendingRecord record, int maxFrame) {
    Completion completion = new Completion(context.callbacks());
    completion.fail(record, tooLarge(key, record.sizeBytes(), maxFrame));
    completion.finish();
  }

  private static LimitException tooLarge(LaneKey key, int size, int maxFrame) {
    return new LimitException(
        ErrorCode.MESSAGE_TOO_LARGE,
        "a record of "
            + size
            + " bytes does not fit the broker's maximum frame payload of "
            + maxFrame
            + " bytes (with "
            + key.batchOverheadBytes()
            + " bytes of batch header)");
  }

  /** Re-flushes every lane soon on the scheduler (coalesced). */
  void kick() {
    if (kickScheduled.compareAndSet(false, true)) {
      context
          .threads()
          .execute(
              () -> {
                kickScheduled.set(false);
                for (PublishLane lane : lanes.values()) {
                  if (!lane.isEmpty()) {
                    lane.flush();
                  }
                }
              });
    }
  }

  // ---- housekeeping (scheduler) ----

  /** Fails records that waited in the queue past their deadline; retires idle lanes. */
  void sweep(long nowNanos) {
    for (Map.Entry<LaneKey, PublishLane> entry : lanes.entrySet()) {
      PublishLane lane = entry.getValue();
      List<PendingRecord> expired = lane.expire(nowNanos);
      if (!expired.isEmpty()) {
        fail(expired, timeoutInQueue(entry.getKey()));
      }
      List<PendingRecord> lost = lane.expireResends(nowNanos);
      if (!lost.isEmpty()) {
        failSent(lost, lostWithConnection(entry.getKey()));
      }
      if (lane.retireIfIdle(nowNanos, LANE_IDLE_NANOS)) {
        lanes.remove(entry.getKey(), lane);
      }
    }
  }

  private FelixException timeoutInQueue(LaneKey key) {
    return new UnavailableException(
        ErrorCode.TIMEOUT,
        "publish to "
            + key.stream()
            + " was not sent within "
            + context.options().requestTimeout().toMillis()
            + " ms (no connection, or the in-flight window stayed full)");
  }

  private FelixException lostWithConnection(LaneKey key) {
    return new UnavailableException(
        ErrorCode.UNAVAILABLE,
        "publish to "
            + key.stream()
            + " was in flight when the connection was lost and no new connection took it within "
            + context.options().requestTimeout().toMillis()
            + " ms");
  }

  /** Fails records that left the queue bound when first sent (their bytes are not held). */
  private void failSent(List<PendingRecord> records, FelixException error) {
    Completion completion = new Completion(context.callbacks());
    for (PendingRecord record : records) {
      completion.fail(record, error);
    }
    completion.finish();
    notifyIdle();
  }

  /**
   * A batch in flight on a lost connection, or refused with {@code UNAVAILABLE} by a draining
   * broker: sent again on the next connection when the publish is idempotent (the broker drops what
   * it already appended) and its records are within their deadline (true), else left to fail
   * (false).
   */
  boolean resendOnNextConnection(PublishLane lane, PublishLane.Batch batch, FelixException error) {
    if (error.code() != ErrorCode.UNAVAILABLE
        || !context.options().idempotence()
        || !batch.session().idempotentProducers()
        || closed
        || System.nanoTime() - batch.records().get(0).deadlineNanos() > 0) {
      return false;
    }
    lane.resend(batch);
    kick();
    return true;
  }

  private void fail(List<PendingRecord> records, FelixException error) {
    long bytes = 0;
    Completion completion = new Completion(context.callbacks());
    for (PendingRecord record : records) {
      bytes += record.sizeBytes();
      completion.fail(record, error);
    }
    queue.release(bytes);
    completion.finish();
    notifyIdle();
  }

  // ---- closing ----

  /** Refuses new publishes from now on. */
  void stopAccepting() {
    closed = true;
  }

  /** Waits until nothing is queued or in flight, or the deadline passes. */
  boolean awaitIdle(long deadlineNanos) {
    synchronized (idle) {
      while (queue.usedBytes() > 0 || inflightBatches.get() > 0) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          // Bounded slices: a notification may race the check above.
          TimeUnit.NANOSECONDS.timedWait(idle, Math.min(left, TimeUnit.MILLISECONDS.toNanos(10)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return true;
    }
  }

  private void notifyIdle() {
    synchronized (idle) {
      idle.notifyAll();
    }
  }

  /** Fails everything still queued with {@code error} (the client is closed). */
  void failQueued(FelixException error) {
    for (PublishLane lane : lanes.values()) {
      List<PendingRecord> left = lane.drain();
      if (!left.isEmpty()) {
        fail(left, error);
      }
      List<PendingRecord> unsent = lane.drainResends();
      if (!unsent.isEmpty()) {
        failSent(unsent, error);
      }
    }
  }

  Callbacks callbacks() {
    return context.callbacks();
  }

  // ---- SessionObserver ----

  @Override
  public void onSessionReady(Session ready, boolean reconnected) {
    session = ready;
    kick();
  }

  @Override
  public void onSessionDraining(Session draining) {
    if (session == draining) {
      session = null;
    }
  }

  @Override
  public void onSessionLost(Session lost, FelixException cause) {
    if (session == lost) {
      session = null;
    }
  }
}
