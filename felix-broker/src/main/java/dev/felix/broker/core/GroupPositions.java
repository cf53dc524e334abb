package dev.felix.broker.core;

import dev.felix.broker.storage.StorageLane;
import dev.felix.storage.durable.PositionStore;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumer-group positions of durable streams on disk: a snapshot ({@code
 * <dataDir>/groups/positions.fxps}, a {@link PositionStore}) plus the {@link AckJournal} of every
 * change since ({@code acks.fxaj}).
 *
 * <p>Groups record changes (an ack, a dead letter done, a lease run, a group created or removed)
 * under their lock into a buffer here, which takes no I/O. The first change into an empty buffer
 * queues a drain on the storage lane, which appends the buffered changes to the journal with one
 * write (to the page cache, no fsync) and applies them to the {@link PositionView}. So a process
 * kill loses only the changes the lane had not written yet (microseconds of acks); the timer of
 * {@code queues.position_flush_ms} fsyncs the journal, so a machine crash loses at most that long.
 * When the journal passes {@link #COMPACT_BYTES} the view is written as the next snapshot (whole
 * file, fsync, atomic rename) and the journal emptied. Nothing here ever runs I/O on an event loop,
 * a scheduler thread or under a group or shard lock.
 *
 * <p>Bounds and policy: the buffer holds at most {@link #BUFFER_ENTRIES} acks, lease runs and
 * counter updates; past that one is dropped (counted, {@link #droppedEntries()}) and every group is
 * asked at the next tick to record its whole state again (a resync), so a drop costs at most a
 * redelivery after a crash in between, never a wrong position. Group creations, removals and resync
 * states are always taken: they come at most once per group shard per event, so the group limit
 * bounds them.
 *
 * <p>Threading: thread-safe. {@link #bufferLock} guards the buffer (short, never held over I/O);
 * {@link #ioLock} guards the journal, the store and the view (the lane or the closing thread).
 */
final class GroupPositions implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupPositions.class);

  /** 65,536 changes: far more than a storage lane falls behind by between two drains. */
  static final int BUFFER_ENTRIES = 65_536;

  /** Replay at start reads at most about this much journal. */
  static final long COMPACT_BYTES = 4L << 20;

  /** Buffered changes in arrays, so that an ack allocates nothing. */
  private static final class Batch {
    byte[] types;
    int[] ids;
    long[] values;
    Object[] extras;
    int count;

    Batch(int capacity) {
      types = new byte[capacity];
      ids = new int[capacity];
      values = new long[capacity];
      extras = new Object[capacity];
    }

    void add(byte type, int id, long value, Object extra) {
      if (count == types.length) {
        int grown = count * 2;
        types = Arrays.copyOf(types, grown);
        ids = Arrays.copyOf(ids, grown);
        values = Arrays.copyOf(values, grown);
        extras = Arrays.copyOf(extras, grown);
      }
      types[count] = type;
      ids[count] = id;
      values[count] = value;
      extras[count] = extra;
      count++;
    }

    void clear() {
      Arrays.fill(extras, 0, count, null);
      count = 0;
    }
  }

  private final StorageLane lane;
  private final Object bufferLock = new Object();
  private Batch front = new Batch(1024);
  private Batch back = new Batch(1024);
  private boolean drainQueued;

  /** Changes taken into the buffer so far (dropped ones not counted); under bufferLock. */
  private long accepted;

  /** Every change up to this sequence is written to the journal (or its drain failed). */
  private volatile long written;

  /** Who waits for a sequence to be written: at most one per running group. */
  private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();

  private record Waiter(long sequence, Runnable then) {}

  private final ConcurrentHashMap<String, Integer> ids = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Integer, String> keys = new ConcurrentHashMap<>();
  private final AtomicInteger lastId = new AtomicInteger();

  /** What the previous broker stored, until a group of that key takes it (or it is removed). */
  private final ConcurrentHashMap<String, PositionView.Restored> restored =
      new ConcurrentHashMap<>();

  private final ConcurrentHashMap<String, long[]> restoredCounters = new ConcurrentHashMap<>();
  private final AtomicBoolean resync = new AtomicBoolean();
  private final LongAdder dropped = new LongAdder();

  private final ReentrantLock ioLock = new ReentrantLock();
  private final PositionStore store;
  private final AckJournal journal;
  private final PositionView view;
  private final BitSet defined = new BitSet();
  private boolean unforced;
  private boolean compactNeeded;
  private boolean failureLogged;
  private boolean closed;

  private GroupPositions(Path dir, StorageLane lane) {
    this.lane = lane;
    this.store = PositionStore.open(dir.resolve("positions.fxps"));
    this.view = PositionView.of(store.snapshot());
    this.journal = AckJournal.open(dir.resolve("acks.fxaj"), view.generation(), view.replay());
    for (Map.Entry<String, Long> entry : view.toSnapshot().entrySet()) {
      String key = entry.getKey();
      int counters = key.indexOf(PositionView.COUNTERS);
      if (counters >= 0) {
        String group = key.substring(0, counters);
        restoredCounters.computeIfAbsent(group, view::counters);
      } else if (!key.contains(PositionView.RUNS) && !key.contains("#")) {
        restored.put(key, view.restored(key));
      }
    }
  }

  /** Positions on disk under {@code dataDir}, written through {@code lane}. */
  static GroupPositions open(Path dataDir, StorageLane lane) {
    return new GroupPositions(dataDir.resolve("groups"), lane);
  }

  /** {@code tenant/namespace/stream/group}: the key of a group's counters. */
  static String groupKey(ConsumerGroup.Key group) {
    return group.stream().tenant()
        + "/"
        + group.stream().namespace()
        + "/"
        + group.stream().stream()
        + "/"
        + group.name();
  }

  /** {@code tenant/namespace/stream/group/shard}: the key of a group shard's position. */
  static String key(ConsumerGroup.Key group, int shard) {
    return groupKey(group) + "/" + shard;
  }

  /** A journal id for {@code key} (stable until the key is removed). */
  int id(String key) {
    return ids.computeIfAbsent(
        key,
        k -> {
          int id = lastId.incrementAndGet();
          keys.put(id, k);
          return id;
        });
  }

  /** What the previous broker stored for a shard key, once (a group created after a restart). */
  PositionView.Restored takeRestored(String shardKey) {
    return restored.remove(shardKey);
  }

  /** The counters the previous broker stored for a group, once. */
  long[] takeCounters(String groupKey) {
    return restoredCounters.remove(groupKey);
  }

  // ---- changes (any thread, typically under a group's lock; no I/O)

  /** An offset is done (acked, dead-lettered, lost). May be dropped when the buffer is full. */
  void done(int id, long offset) {
    add(AckJournal.DONE, id, offset, null, false);
  }

  /** Offsets below {@code next} were leased. May be dropped when the buffer is full. */
  void next(int id, long next) {
    add(AckJournal.NEXT, id, next, null, false);
  }

  /** The position jumped forward (records left the log unleased). */
  void skip(int id, long committed) {
    add(AckJournal.SKIP, id, committed, null, true);
  }

  /** A group shard starts at {@code committed}, with nothing done above it. */
  void init(int id, long committed) {
    add(AckJournal.INIT, id, committed, null, true);
  }

  /** A shard's whole state (a resync after dropped changes). */
  void state(int id, long committed, long next, long[] runs) {
    add(AckJournal.STATE, id, committed, new long[][] {{next}, runs}, true);
  }

  /** A group's counters. May be dropped when the buffer is full. */
  void counters(int id, long[] values) {
    add(AckJournal.COUNTERS, id, 0, values, false);
  }

  /** Forgets a key (its group or stream was deleted). */
  void remove(String key) {
    int id = id(key);
    ids.remove(key);
    restored.remove(key);
    restoredCounters.remove(key);
    add(AckJournal.REMOVE, id, 0, null, true);
  }

  /**
   * Forgets what the previous broker stored for groups of a deleted stream that nobody joined since
   * the start ({@code streamPrefix} is {@code tenant/namespace/stream/}).
   */
  void removeUnjoined(String streamPrefix) {
    for (String key : List.copyOf(restored.keySet())) {
      if (key.startsWith(streamPrefix)) {
        remove(key);
      }
    }
    for (String key : List.copyOf(restoredCounters.keySet())) {
      if (key.startsWith(streamPrefix)) {
        remove(key);
      }
    }
  }

  /** The sequence of the last change taken (for {@link #whenWritten}). */
  long sequence() {
    synchronized (bufferLock) {
      return accepted;
    }
  }

  /** Every change up to this sequence is in the journal (page cache). */
  long written() {
    return written;
  }

  /**
   * Runs {@code then} (on a storage lane, or here) once changes up to {@code sequence} are written.
   */
  void whenWritten(long sequence, Runnable then) {
    if (written >= sequence) {
      then.run();
      return;
    }
    waiters.add(new Waiter(sequence, then));
    if (written >= sequence) {
      wakeWaiters(); // the drain finished between the check and the add
    }
  }

  private void wakeWaiters() {
    long done = written;
    for (Waiter waiter : waiters) {
      if (waiter.sequence() <= done && waiters.remove(waiter)) {
        waiter.then().run();
      }
    }
  }

  /** True once after a dropped change: every group should record its state again. */
  boolean takeResync() {
    return resync.compareAndSet(true, false);
  }

  /** Changes dropped because the buffer was full (metric). */
  long droppedEntries() {
    return dropped.sum();
  }

  private void add(byte type, int id, long value, Object extra, boolean always) {
    boolean queue;
    synchronized (bufferLock) {
      if (!always && front.count >= BUFFER_ENTRIES) {
        dropped.increment();
        resync.set(true);
        return;
      }
      front.add(type, id, value, extra);
      accepted++;
      queue = !drainQueued;
      drainQueued = true;
    }
    if (queue && !lane.offer(0, this::drainQuietly)) {
      synchronized (bufferLock) {
        drainQueued = false; // cannot happen with a zero-byte task, but never strand the buffer
      }
    }
  }

  // ---- storage lane

  /** Timer ({@code queues.position_flush_ms}): queues a sync of the journal on the lane. */
  void tick() {
    var unused = lane.offer(0, this::syncQuietly);
  }

  private void drainQuietly() {
    guarded(false);
  }

  private void syncQuietly() {
    guarded(true);
  }

  private void guarded(boolean sync) {
    ioLock.lock();
    try {
      if (closed) {
        return;
      }
      drainLocked();
      if (compactNeeded || journal.size() > COMPACT_BYTES) {
        compactLocked();
      } else if (sync && unforced) {
        journal.force();
        unforced = false;
      }
      failureLogged = false;
    } catch (RuntimeException e) {
      // The view holds every drained change; a compaction rewrites it whole, and a resync
      // re-records what a failed drain may not have applied.
      compactNeeded = true;
      resync.set(true);
      if (!failureLogged) {
        failureLogged = true; // logged once until the disk works again
        LOG.error("writing consumer-group positions failed; retrying on the next tick", e);
      }
    } finally {
      ioLock.unlock();
    }
  }

  private void drainLocked() {
    Batch batch;
    long upTo;
    synchronized (bufferLock) {
      batch = front;
      front = back;
      back = batch;
      drainQueued = false;
      upTo = accepted;
    }
    try {
      for (int i = 0; i < batch.count; i++) {
        apply(batch.types[i], batch.ids[i], batch.values[i], batch.extras[i]);
      }
      if (batch.count > 0) {
        journal.write();
        unforced = true;
      }
    } finally {
      batch.clear();
      // Advanced even when the write failed: the view holds the changes and a compaction retries
      // them, and members must not stall on a broken disk (their acks are then at risk, as logged).
      written = upTo;
      wakeWaiters();
    }
  }

  private void apply(byte type, int id, long value, Object extra) {
    String key = keys.get(id);
    if (key == null) {
      return; // removed meanwhile: late changes of a deleted group
    }
    if (!defined.get(id)) {
      journal.define(id, key);
      defined.set(id);
    }
    switch (type) {
      case AckJournal.DONE -> view.done(key, value);
      case AckJournal.NEXT -> view.next(key, value);
      case AckJournal.SKIP -> view.skip(key, value);
      case AckJournal.INIT -> view.init(key, value);
      case AckJournal.REMOVE -> {
        view.remove(key);
        keys.remove(id);
      }
      case AckJournal.STATE -> {
        long[][] parts = (long[][]) extra;
        view.state(key, value, parts[0][0], parts[1]);
        journal.state(id, value, parts[0][0], parts[1]);
        return;
      }
      case AckJournal.COUNTERS -> {
        view.counters(key, (long[]) extra);
        journal.counters(id, (long[]) extra);
        return;
      }
      default -> throw new IllegalStateException("unknown change type " + type);
    }
    if (type == AckJournal.REMOVE) {
      journal.remove(id);
    } else {
      journal.value(type, id, value);
    }
  }

  /** Writes the view as the next snapshot, then empties the journal. */
  private void compactLocked() {
    journal.write();
    long generation = view.generation() + 1;
    view.generation(generation);
    Map<String, Long> snapshot = view.toSnapshot();
    for (String old : store.snapshot().keySet()) {
      if (!snapshot.containsKey(old)) {
        store.remove(old);
      }
    }
    snapshot.forEach(store::put);
    store.flush();
    journal.reset(generation);
    defined.clear();
    unforced = false;
    compactNeeded = false;
  }

  /** Drains and compacts on the caller's thread (broker close), then closes the files. */
  @Override
  public void close() {
    ioLock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      drainLocked();
      compactLocked();
    } finally {
      try {
        journal.close();
        store.close();
      } finally {
        ioLock.unlock();
      }
    }
  }
}
