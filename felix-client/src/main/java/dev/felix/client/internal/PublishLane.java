package dev.felix.client.internal;

import dev.felix.wire.FrameHeader;
import dev.felix.wire.message.AckMode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The records waiting to be sent for one {@link LaneKey}, in publish order, and the batching
 * decisions for them.
 *
 * <p><b>One flusher at a time.</b> Whoever finds the lane idle becomes its flusher and sends batch
 * after batch until the lane is empty or blocked (a publishing thread for a few batches, then the
 * scheduler takes over); records published meanwhile join the next batch. So batches keep publish
 * order, and they grow by themselves while a send is in progress (natural batching) without any
 * wait when idle. Blocked means: no ready connection, the control stream above its send-queue mark,
 * or the in-flight window full; each of those kicks the lane again when it clears ({@link
 * Publisher#kick()}), and a kick during a flush makes the flusher go round once more, so no wake-up
 * is lost; so does a record appended while a flush runs (the flusher may have looked at the lane
 * for the last time already).
 *
 * <p><b>Threads:</b> the lane's monitor guards its fields; encoding and writing happen outside it.
 */
final class PublishLane {
  /** What the publishing thread must do after appending. */
  enum Action {
    /** Nothing: a flusher or a scheduled flush will take the record. */
    NONE,
    /** Flush now on the calling thread. */
    FLUSH_NOW,
    /** Hand a flush to the connection's event loop (the scheduler without one) now. */
    SCHEDULE_NOW,
    /** Schedule a flush after the linger. */
    SCHEDULE_LINGER,
    /** The lane was retired as idle: append to a fresh one. */
    RETIRED
  }

  /**
   * A batch taken from the lane.
   *
   * @param session the connection to send it on
   * @param records the records, empty when the lane only dropped an oversized record
   * @param frameBytes the whole frame's size
   * @param recordBytes the records' encoded size (returned to the queue bound; 0 for a resend,
   *     whose bytes were returned when it was first sent)
   * @param sequence the producer sequence of its first record (idempotent publishing)
   * @param resend true when this batch was sent before on a connection that was lost
   */
  record Batch(
      Session session,
      List<PendingRecord> records,
      long frameBytes,
      long recordBytes,
      long sequence,
      boolean resend) {}

  /** A sent batch to send again, as it was: same records, same sequence. */
  private record Resend(List<PendingRecord> records, long frameBytes, long sequence) {}

  /** Batches a publishing thread sends before handing the rest to the scheduler. */
  private static final int INLINE_BATCHES = 4;

  /** Batches the scheduler sends in one task before letting other tasks run. */
  private static final int SCHEDULED_BATCHES = 64;

  private final LaneKey key;
  private final Publisher publisher;
  private final int overheadBytes;
  private final ArrayDeque<PendingRecord> pending = new ArrayDeque<>();

  /** Batches lost with a connection, by sequence: sent before anything new, in publish order. */
  private final PriorityQueue<Resend> resends =
      new PriorityQueue<>(Comparator.comparingLong(Resend::sequence));

  /**
   * This lane's producer id: its own, so that its sequences increase without gaps in send order
   * whatever other lanes (other shards, ack modes) of the same client do.
   */
  private final long producerId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);

  private long nextSequence;

  /**
   * Acknowledged batches sent and not yet answered. Bounded by {@link #MAX_UNACKNOWLEDGED_BATCHES}
   * so that a batch resent after a lost connection is always among the batches the broker still
   * remembers for this producer: past that window the broker could not tell a retry from a new
   * publish and answers CONFLICT (as Kafka bounds in-flight requests of an idempotent producer).
   */
  private final java.util.concurrent.atomic.AtomicInteger unacknowledgedBatches =
      new java.util.concurrent.atomic.AtomicInteger();

  /** The broker's per-producer window of remembered batches (docs/protocol.md, idempotence). */
  static final int MAX_UNACKNOWLEDGED_BATCHES = 32;

  private long pendingBytes;

  /**
   * The last flush stopped because nothing could be sent (no ready connection, control stream above
   * its mark, window or batch bound full). Publishing threads then leave the lane to the kick that
   * each of those conditions sends when it clears, instead of each trying (and failing) a flush of
   * their own: that cost every publish a pass over up to a batch of queued records. Only while
   * records wait: a kick passes an empty lane by, so a publish into an empty lane flushes itself.
   */
  private boolean waitingForRoom;

  private boolean flushing;
  private boolean rerun;
  private boolean scheduled;
  private boolean retired;
  private long lastActivityNanos = System.nanoTime();

  PublishLane(LaneKey key, Publisher publisher) {
    this.key = key;
    this.publisher = publisher;
    this.overheadBytes = key.batchOverheadBytes();
  }

  LaneKey key() {
    return key;
  }

  long producerId() {
    return producerId;
  }

  /**
   * Keeps a sent batch whose connection was lost, to send again exactly as it was once a connection
   * is ready (its producer id and sequence make the broker recognise it if the first send was
   * appended). Any thread.
   */
  synchronized void resend(Batch batch) {
    resends.add(new Resend(batch.records(), batch.frameBytes(), batch.sequence()));
  }

  /** Queues {@code record} and says who sends it. */
  synchronized Action append(PendingRecord record, Publisher.Caps caps) {
    if (retired) {
      return Action.RETIRED;
    }
    boolean wasEmpty = pending.isEmpty() && resends.isEmpty();
    pending.addLast(record);
    pendingBytes += record.sizeBytes();
    lastActivityNanos = record.enqueuedNanos();
    if (flushing) {
      rerun = true; // the flusher may have taken its last look already: it goes round once more
      return Action.NONE;
    }
    if (waitingForRoom && !wasEmpty) {
      return Action.NONE; // the kick that frees room for the records ahead sends this one too
    }
    // An empty lane waits for nothing: what was blocked timed out, so no kick will come for it.
    waitingForRoom = false;
    if (pending.size() >= caps.maxRecords() || overheadBytes + pendingBytes >= caps.maxBytes()) {
      return Action.FLUSH_NOW;
    }
    if (caps.lingerNanos() == 0 && record.sync()) {
      return Action.FLUSH_NOW;
    }
    if (scheduled) {
      return Action.NONE;
    }
    scheduled = true;
    return caps.lingerNanos() == 0 ? Action.SCHEDULE_NOW : Action.SCHEDULE_LINGER;
  }

  /**
   * Flushes on the publishing thread: a few batches at most (its own record is in the first), then
   * the rest goes to the scheduler, so that one synchronous caller does not end up sending every
   * other thread's records for as long as they keep coming.
   */
  void flushInline() {
    flush(INLINE_BATCHES);
  }

  /**
   * Flushes on the scheduler thread, in slices, so that timers (timeouts, keep-alive) still run
   * under a steady stream of publishes.
   */
  void flush() {
    flush(SCHEDULED_BATCHES);
  }

  /**
   * Sends up to {@code maxBatches} batches, until the lane is empty or blocked (see the class
   * comment); hands what is left to the scheduler. Any thread.
   */
  private void flush(int maxBatches) {
    synchronized (this) {
      if (flushing) {
        rerun = true;
        return;
      }
      flushing = true;
      scheduled = false;
    }
    int sent = 0;
    try {
      while (true) {
        Batch batch = sent < maxBatches ? takeBatch() : null;
        if (batch != null) {
          publisher.send(this, batch);
          sent++;
          continue;
        }
        boolean handOff = false;
        synchronized (this) {
          if (sent < maxBatches && rerun) {
            rerun = false;
            continue;
          }
          flushing = false;
          if (sent >= maxBatches && !pending.isEmpty() && !scheduled) {
            scheduled = true;
            handOff = true;
          }
        }
        if (handOff) {
          publisher.flushLater(this);
        }
        return;
      }
    } catch (RuntimeException | Error e) {
      synchronized (this) {
        flushing = false;
      }
      throw e;
    }
  }

  /** The next batch to send, or null when the lane is empty, lingering or blocked. */
  private Batch takeBatch() {
    Session session = publisher.readySession();
    Publisher.Caps caps = session == null ? null : publisher.caps(session);
    PendingRecord oversized;
    synchronized (this) {
      // Every attempt decides afresh; the blocked paths below set it again.
      waitingForRoom = session == null; // the next ready connection kicks the lanes
      if (session == null) {
        return null;
      }
      if (!resends.isEmpty()) {
        return takeResend(session);
      }
      if (pending.isEmpty()) {
        return null;
      }
      PendingRecord head = pending.peekFirst();
      if (overheadBytes + head.sizeBytes() > session.limits().maxFramePayloadBytes()) {
        // Fits no frame of this broker (possibly a smaller one than the record was checked for).
        pending.pollFirst();
        pendingBytes -= head.sizeBytes();
        oversized = head;
      } else {
        return cutBatch(session, caps, head);
      }
    }
    publisher.rejectOversized(key, oversized, session.limits().maxFramePayloadBytes());
    return new Batch(session, List.of(), 0, oversized.sizeBytes(), 0, false);
  }

  /**
   * Room for one more acknowledged batch of this lane. The blocked flag is raised before the second
   * look, so an answer that frees room in between always sees it and kicks the lanes.
   */
  private boolean batchRoom() {
    if (unacknowledgedBatches.get() < MAX_UNACKNOWLEDGED_BATCHES) {
      return true;
    }
    publisher.markWindowBlocked();
    return unacknowledgedBatches.get() < MAX_UNACKNOWLEDGED_BATCHES;
  }

  /** An acknowledged batch of this lane was answered, failed or taken back unsent. Any thread. */
  void batchDone() {
    unacknowledgedBatches.decrementAndGet();
  }

  /** Under the monitor: the oldest lost batch, if the connection can take it now. */
  private Batch takeResend(Session session) {
    Resend head = resends.peek();
    if (!publisher.canWrite(session)
        || !batchRoom()
        || !publisher.tryAcquireWindow(session, head.frameBytes())) {
      waitingForRoom = true;
      return null;
    }
    unacknowledgedBatches.incrementAndGet();
    resends.poll();
    return new Batch(session, head.records(), head.frameBytes(), 0, head.sequence(), true);
  }

  /** Under the monitor: takes as many records as the caps allow, if the send is possible now. */
  private Batch cutBatch(Session session, Publisher.Caps caps, PendingRecord head) {
    long now = System.nanoTime();
    boolean full =
        pending.size() >= caps.maxRecords() || overheadBytes + pendingBytes >= caps.maxBytes();
    long waited = now - head.enqueuedNanos();
    if (!full && caps.lingerNanos() > 0 && waited < caps.lingerNanos()) {
      if (!scheduled) {
        scheduled = true;
        publisher.scheduleFlush(this, caps.lingerNanos() - waited);
      }
      return null;
    }
    int count = 0;
    long recordBytes = 0;
    for (PendingRecord record : pending) {
      boolean fits = overheadBytes + recordBytes + record.sizeBytes() <= caps.maxBytes();
      if (count == caps.maxRecords() || (count > 0 && !fits)) {
        break;
      }
      count++;
      recordBytes += record.sizeBytes();
    }
    long frameBytes = FrameHeader.LENGTH + overheadBytes + recordBytes;
    if (!publisher.canWrite(session)) {
      waitingForRoom = true;
      return null;
    }
    if (key.ackMode() == AckMode.LEADER) {
      if (!batchRoom() || !publisher.tryAcquireWindow(session, frameBytes)) {
        waitingForRoom = true;
        return null;
      }
      unacknowledgedBatches.incrementAndGet();
    }
    List<PendingRecord> records = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      records.add(pending.pollFirst());
    }
    pendingBytes -= recordBytes;
    lastActivityNanos = now;
    long sequence = nextSequence;
    nextSequence += count;
    return new Batch(session, records, frameBytes, recordBytes, sequence, false);
  }

  /**
   * Puts a batch that could not be sent back at the head of the lane, in order. Only the lane's
   * flusher calls this, so nothing was taken from the head meanwhile.
   */
  synchronized void requeue(List<PendingRecord> records) {
    for (int i = records.size() - 1; i >= 0; i--) {
      pending.addFirst(records.get(i));
      pendingBytes += records.get(i).sizeBytes();
    }
  }

  /** Removes the records queued for longer than their deadline, oldest first. */
  synchronized List<PendingRecord> expire(long nowNanos) {
    List<PendingRecord> expired = null;
    while (!pending.isEmpty() && nowNanos - pending.peekFirst().deadlineNanos() > 0) {
      PendingRecord record = pending.pollFirst();
      pendingBytes -= record.sizeBytes();
      if (expired == null) {
        expired = new ArrayList<>();
      }
      expired.add(record);
    }
    return expired == null ? List.of() : expired;
  }

  /** Removes every queued record (client closing). */
  synchronized List<PendingRecord> drain() {
    List<PendingRecord> all = new ArrayList<>(pending);
    pending.clear();
    pendingBytes = 0;
    return all;
  }

  /** Removes every batch waiting to be sent again (client closing). */
  synchronized List<PendingRecord> drainResends() {
    List<PendingRecord> all = new ArrayList<>();
    while (!resends.isEmpty()) {
      all.addAll(resends.poll().records());
    }
    return all;
  }

  /**
   * Removes the batches to send again whose oldest record is past its deadline (all of a batch's
   * records go together: a resend is all or nothing).
   */
  synchronized List<PendingRecord> expireResends(long nowNanos) {
    List<PendingRecord> expired = null;
    for (java.util.Iterator<Resend> it = resends.iterator(); it.hasNext(); ) {
      Resend resend = it.next();
      if (nowNanos - resend.records().get(0).deadlineNanos() > 0) {
        it.remove();
        if (expired == null) {
          expired = new ArrayList<>();
        }
        expired.addAll(resend.records());
      }
    }
    return expired == null ? List.of() : expired;
  }

  synchronized boolean isEmpty() {
    return pending.isEmpty() && resends.isEmpty();
  }

  /**
   * Retires the lane when it has been idle for {@code idleNanos}, so that a client publishing to
   * many streams over time does not keep a lane per stream forever.
   */
  synchronized boolean retireIfIdle(long nowNanos, long idleNanos) {
    if (!pending.isEmpty()
        || !resends.isEmpty()
        || flushing
        || scheduled
        || nowNanos - lastActivityNanos < idleNanos) {
      return false;
    }
    retired = true;
    return true;
  }
}
