package dev.felix.broker.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One consumer group's state on one shard: the committed position, the next offset never leased,
 * and the <em>ack window</em> between them, where every offset has an {@link Entry} saying whether
 * it is leased (to whom, until when, how often delivered), waiting for redelivery, delayed by a
 * nack, being dead-lettered, or done (acked, dead-lettered, or lost to eviction).
 *
 * <p>Invariants, checked by {@code QueuePropertyTest}: {@code committed <= next}; {@code next -
 * committed <= window}; the committed position only moves forward, and only past offsets that are
 * done. It is a pure state machine (no locks, no clock, no I/O; callers pass the time), so it can
 * be driven by random schedules in tests.
 *
 * <p>Bounds: the window ring has {@code window} slots (offset modulo window); the ready and
 * dead-letter queues hold entries of the window, each at most once per state change, so both are
 * bounded by the window times {@code maxDeliveries}. Leases are kept in a list ordered by deadline:
 * the visibility timeout is the same for every lease of a group and the clock is monotonic, so
 * appending keeps the order and expiry looks at the head only.
 *
 * <p>Threading: none; owned by its {@link ConsumerGroup}'s lock.
 */
final class GroupShard {
  enum State {
    LEASED,
    WAITING,
    DELAYED,
    DEAD_PENDING,
    DONE
  }

  /** The state of one offset in the window. */
  static final class Entry {
    final long offset;
    State state;
    int member;
    int deliveries;
    long deadlineNanos;
    private Entry prevLease;
    private Entry nextLease;

    Entry(long offset) {
      this.offset = offset;
    }
  }

  final int shard;
  private final int window;
  private final Entry[] ring;
  private final ArrayDeque<Entry> ready = new ArrayDeque<>();
  private final ArrayDeque<Entry> deadPending = new ArrayDeque<>();
  private long committed;
  private long next;
  private Entry leaseHead;
  private Entry leaseTail;
  private int leased;

  GroupShard(int shard, int window, long start) {
    this.shard = shard;
    this.window = window;
    this.ring = new Entry[window];
    this.committed = start;
    this.next = start;
  }

  long committed() {
    return committed;
  }

  /** The first offset never leased. */
  long next() {
    return next;
  }

  int leased() {
    return leased;
  }

  /** How many new offsets may still be leased before the window is full. */
  int windowRoom() {
    return window - (int) (next - committed);
  }

  /** The entry of {@code offset} while it is in the window, else null. */
  Entry entry(long offset) {
    if (offset < committed || offset >= next) {
      return null;
    }
    Entry entry = ring[slot(offset)];
    return entry != null && entry.offset == offset ? entry : null;
  }

  /** Leases {@code [next, next + count)} to {@code member}; the caller checked the window room. */
  void leaseNew(int member, int count, long deadlineNanos) {
    if (count > windowRoom()) {
      throw new IllegalStateException("lease of " + count + " beyond the window " + windowRoom());
    }
    for (int i = 0; i < count; i++) {
      Entry entry = new Entry(next);
      ring[slot(next)] = entry;
      next++;
      entry.deliveries = 1;
      lease(entry, member, deadlineNanos);
    }
  }

  /**
   * Offsets below {@code retainedStart} left the log before the group leased them (memory streams
   * evict): they are done, counted as lost.
   *
   * @return how many offsets were skipped
   */
  long skipLost(long retainedStart) {
    if (next >= retainedStart) {
      return 0;
    }
    if (committed == next) {
      long lost = retainedStart - next; // an empty window jumps at once, however far
      committed = retainedStart;
      next = retainedStart;
      return lost;
    }
    long lost = 0;
    while (next < retainedStart && windowRoom() > 0) {
      Entry entry = new Entry(next);
      entry.state = State.DONE;
      ring[slot(next)] = entry;
      next++;
      lost++;
    }
    advance();
    return lost;
  }

  /** The next record waiting for redelivery, or null. Stale queue items are skipped. */
  Entry pollReady() {
    Entry entry;
    while ((entry = ready.poll()) != null) {
      if (entry.state == State.WAITING && entry(entry.offset) == entry) {
        return entry;
      }
    }
    return null;
  }

  boolean hasReady() {
    Entry head;
    while ((head = ready.peek()) != null) {
      if (head.state == State.WAITING && entry(head.offset) == head) {
        return true;
      }
      ready.poll();
    }
    return false;
  }

  /** Leases a record polled from {@link #pollReady()} again. */
  void leaseAgain(Entry entry, int member, long deadlineNanos) {
    entry.deliveries++;
    lease(entry, member, deadlineNanos);
  }

  private void lease(Entry entry, int member, long deadlineNanos) {
    entry.state = State.LEASED;
    entry.member = member;
    entry.deadlineNanos = deadlineNanos;
    entry.prevLease = leaseTail;
    entry.nextLease = null;
    if (leaseTail == null) {
      leaseHead = entry;
    } else {
      leaseTail.nextLease = entry;
    }
    leaseTail = entry;
    leased++;
  }

  private void unlease(Entry entry) {
    if (entry.prevLease == null) {
      leaseHead = entry.nextLease;
    } else {
      entry.prevLease.nextLease = entry.nextLease;
    }
    if (entry.nextLease == null) {
      leaseTail = entry.prevLease;
    } else {
      entry.nextLease.prevLease = entry.prevLease;
    }
    entry.prevLease = null;
    entry.nextLease = null;
    entry.member = 0;
    leased--;
  }

  /**
   * An ack of {@code offset} by {@code member}. Accepted from the lease holder, and from anyone
   * while nobody holds it (waiting or delayed: the work is done, no need to deliver it again).
   *
   * @return the holder whose lease ended (its allowance comes back), 0 when accepted without a
   *     holder, -1 when stale (not in the window, done already, or leased to another member)
   */
  int ack(int member, long offset) {
    Entry entry = entry(offset);
    if (entry == null) {
      return -1;
    }
    switch (entry.state) {
      case LEASED -> {
        if (entry.member != member) {
          return -1;
        }
        unlease(entry);
        entry.state = State.DONE;
        advance();
        return member;
      }
      case WAITING, DELAYED -> {
        entry.state = State.DONE;
        advance();
        return 0;
      }
      default -> {
        return -1;
      }
    }
  }

  /** The lease of {@code offset} when {@code member} holds it, else null. */
  Entry leasedBy(int member, long offset) {
    Entry entry = entry(offset);
    return entry != null && entry.state == State.LEASED && entry.member == member ? entry : null;
  }

  /**
   * Ends a lease without an ack (nack, expiry, member gone). A record delivered {@code
   * maxDeliveries} times goes to the dead-letter queue; otherwise it waits for redelivery, at once
   * or (when {@code delayed}) until {@link #delayedDue}.
   *
   * @return the state it moved to: WAITING, DELAYED or DEAD_PENDING
   */
  State release(Entry entry, boolean delayed, int maxDeliveries) {
    unlease(entry);
    if (entry.deliveries >= maxDeliveries) {
      entry.state = State.DEAD_PENDING;
      deadPending.add(entry);
    } else if (delayed) {
      entry.state = State.DELAYED;
    } else {
      entry.state = State.WAITING;
      ready.add(entry);
    }
    return entry.state;
  }

  /**
   * A waiting record (polled from {@link #pollReady()}) that has had its deliveries under a lowered
   * {@code maxDeliveries}: it goes to the dead-letter queue instead of out again.
   */
  void deadLetterInstead(Entry entry) {
    entry.state = State.DEAD_PENDING;
    deadPending.add(entry);
  }

  /** A nack's delay is over: the record may be redelivered (unless acked meanwhile). */
  void delayedDue(Entry entry) {
    if (entry.state == State.DELAYED && entry(entry.offset) == entry) {
      entry.state = State.WAITING;
      ready.add(entry);
    }
  }

  /** The earliest lease deadline, or {@link Long#MAX_VALUE} with no lease. */
  long firstDeadlineNanos() {
    return leaseHead == null ? Long.MAX_VALUE : leaseHead.deadlineNanos;
  }

  /** The earliest lease when its deadline has passed, else null (it stays leased). */
  Entry firstExpired(long nowNanos) {
    return leaseHead != null && leaseHead.deadlineNanos <= nowNanos ? leaseHead : null;
  }

  /** The next record to move to the dead-letter stream, or null. */
  Entry pollDeadPending() {
    return deadPending.poll();
  }

  /** A dead-letter publish failed for now: try again later. */
  void retryDeadLetter(Entry entry) {
    if (entry.state == State.DEAD_PENDING && entry(entry.offset) == entry) {
      deadPending.add(entry);
    }
  }

  /** The record is done without an ack: dead-lettered, or lost from the log. */
  void markDone(Entry entry) {
    if (entry.state == State.LEASED) {
      unlease(entry);
    }
    entry.state = State.DONE;
    advance();
  }

  /** Every lease {@code member} holds, oldest first (a scan of the leases; for members leaving). */
  List<Entry> leasesOf(int member) {
    List<Entry> leases = new ArrayList<>();
    for (Entry entry = leaseHead; entry != null; entry = entry.nextLease) {
      if (entry.member == member) {
        leases.add(entry);
      }
    }
    return leases;
  }

  /**
   * Runs of done offsets above the committed position (acked out of order), as {@code {start,
   * length}} pairs: stored next to the position so that a restart does not deliver them again.
   */
  List<long[]> doneRuns() {
    List<long[]> runs = new ArrayList<>();
    long runStart = -1;
    for (long offset = committed; offset < next; offset++) {
      Entry entry = ring[slot(offset)];
      boolean done = entry != null && entry.offset == offset && entry.state == State.DONE;
      if (done && runStart < 0) {
        runStart = offset;
      } else if (!done && runStart >= 0) {
        runs.add(new long[] {runStart, offset - runStart});
        runStart = -1;
      }
    }
    if (runStart >= 0) {
      runs.add(new long[] {runStart, next - runStart});
    }
    return runs;
  }

  /**
   * Restores what the previous broker stored, on a fresh shard state: offsets in {@code runs} stay
   * done; the offsets between them were leased when it stopped, so they wait for redelivery (as
   * their first delivery's retry), and so do those below {@code storedNext} (leased at least once
   * when it stopped). Offsets at or above {@code end} (not in the log) are ignored.
   */
  void restoreDone(List<long[]> runs, long storedNext, long end) {
    if (next != committed) {
      throw new IllegalStateException("restore into a used shard state");
    }
    long last = Math.max(committed, storedNext);
    for (long[] run : runs) {
      last = Math.max(last, run[0] + run[1]);
    }
    last = Math.min(Math.min(last, end), committed + window);
    for (long offset = committed; offset < last; offset++) {
      Entry entry = new Entry(offset);
      // Delivered before the restart, but a broker stopping is not the record's fault: it does not
      // count against max-deliveries (the redelivery is still counted as one).
      entry.deliveries = 0;
      entry.state = State.WAITING;
      ring[slot(offset)] = entry;
    }
    next = last;
    for (long[] run : runs) {
      for (long offset = Math.max(run[0], committed);
          offset < Math.min(run[0] + run[1], last);
          offset++) {
        ring[slot(offset)].state = State.DONE;
      }
    }
    for (long offset = committed; offset < last; offset++) {
      Entry entry = ring[slot(offset)];
      if (entry.state == State.WAITING) {
        ready.add(entry);
      }
    }
    advance();
  }

  /** Moves the committed position past every done offset at its front. */
  private void advance() {
    while (committed < next) {
      int slot = slot(committed);
      Entry entry = ring[slot];
      if (entry == null || entry.offset != committed || entry.state != State.DONE) {
        return;
      }
      ring[slot] = null;
      committed++;
    }
  }

  private int slot(long offset) {
    return (int) Math.floorMod(offset, (long) window);
  }
}
