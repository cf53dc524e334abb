package dev.felix.broker.core;

import dev.felix.broker.storage.StorageLane;
import dev.felix.storage.durable.PositionStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Committed group positions of durable streams, in one {@link PositionStore} file ({@code
 * <dataDir>/groups/positions.fxps}), keyed {@code tenant/namespace/stream/group/shard}. Next to
 * each committed position, the runs of records acked above it ({@code .../done/<start>} to length),
 * so that out-of-order acks are not redelivered after a restart either.
 *
 * <p>The store holds its monitor through every fsync, so nobody on the data path touches it: reads
 * and updates go to an in-memory mirror ({@link #current}) and a map of changes ({@link #pending}),
 * and a timer hands the changes to a storage lane, which applies them to the store and flushes it
 * (fsync never runs on an event loop, a scheduler thread or under a group or shard lock). {@link
 * #close()} does the same on the closing thread.
 *
 * <p>Why not flush on every ack: one fsync per ack would cap a group at the disk's fsync rate.
 * Losing up to one flush interval of position progress in a crash only means redelivery
 * (at-least-once), never loss.
 *
 * <p>Threading: thread-safe. The maps are concurrent; {@code queued} keeps at most one flush on the
 * lane. Bounded by the groups and shards the broker holds (and their done runs, at most one per two
 * window slots).
 */
final class GroupPositions implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupPositions.class);
  private static final String RUNS = "/done/";

  /** A pending removal (positions are offsets, never negative). */
  private static final long REMOVED = Long.MIN_VALUE;

  private final PositionStore store;
  private final StorageLane lane;
  private final ConcurrentHashMap<String, Long> current;
  private final ConcurrentHashMap<String, Long> pending = new ConcurrentHashMap<>();

  /** Per shard key, the run keys last written (so replacing them needs no scan). */
  private final ConcurrentHashMap<String, List<String>> runKeys = new ConcurrentHashMap<>();

  private final AtomicBoolean queued = new AtomicBoolean();
  private volatile boolean retry;
  private volatile boolean failureLogged;

  private GroupPositions(PositionStore store, StorageLane lane) {
    this.store = store;
    this.lane = lane;
    this.current = new ConcurrentHashMap<>(store.snapshot());
  }

  /** Positions on disk under {@code dataDir}, flushed through {@code lane}. */
  static GroupPositions open(Path dataDir, StorageLane lane) {
    return new GroupPositions(
        PositionStore.open(dataDir.resolve("groups").resolve("positions.fxps")), lane);
  }

  static String key(ConsumerGroup.Key group, int shard) {
    return group.stream().tenant()
        + "/"
        + group.stream().namespace()
        + "/"
        + group.stream().stream()
        + "/"
        + group.name()
        + "/"
        + shard;
  }

  OptionalLong get(String key) {
    Long value = current.get(key);
    return value == null ? OptionalLong.empty() : OptionalLong.of(value);
  }

  void put(String key, long committed) {
    current.put(key, committed);
    pending.put(key, committed);
  }

  /** Forgets a shard's position and its done runs (stream deleted). */
  void remove(String key) {
    current.remove(key);
    pending.put(key, REMOVED);
    putRuns(key, List.of());
  }

  /** The done runs stored for a shard's {@code key} (a scan; at group creation only). */
  List<long[]> runs(String key) {
    String prefix = key + RUNS;
    List<long[]> runs = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (Map.Entry<String, Long> entry : current.entrySet()) {
      if (entry.getKey().startsWith(prefix)) {
        runs.add(
            new long[] {
              Long.parseLong(entry.getKey().substring(prefix.length())), entry.getValue()
            });
        keys.add(entry.getKey());
      }
    }
    runs.sort((a, b) -> Long.compare(a[0], b[0]));
    runKeys.put(key, keys);
    return runs;
  }

  /** Replaces the done runs stored for a shard's {@code key}. */
  void putRuns(String key, List<long[]> runs) {
    List<String> previous = runKeys.getOrDefault(key, List.of());
    if (previous.isEmpty() && runs.isEmpty()) {
      return;
    }
    List<String> keys = new ArrayList<>(runs.size());
    for (long[] run : runs) {
      keys.add(key + RUNS + run[0]);
    }
    for (String old : previous) {
      current.remove(old);
      pending.put(old, REMOVED);
    }
    for (int i = 0; i < runs.size(); i++) {
      current.put(keys.get(i), runs.get(i)[1]);
      pending.put(keys.get(i), runs.get(i)[1]);
    }
    runKeys.put(key, keys);
  }

  /** Queues a flush on the storage lane when something changed (timer). */
  void flushSoon() {
    if ((pending.isEmpty() && !retry) || !queued.compareAndSet(false, true)) {
      return;
    }
    if (!lane.offer(0, this::flushQuietly)) {
      queued.set(false); // the lane is busy: the next tick tries again
    }
  }

  private void flushQuietly() {
    try {
      applyAndFlush();
      retry = false;
      failureLogged = false;
    } catch (RuntimeException e) {
      retry = true; // the changes are in the store already; its next flush writes them
      if (!failureLogged) {
        failureLogged = true; // logged once until a flush succeeds again
        LOG.error("flushing consumer-group positions failed; retrying on the next tick", e);
      }
    } finally {
      queued.set(false);
    }
  }

  /**
   * Moves the pending changes into the store and makes them durable (storage or closing thread).
   */
  private void applyAndFlush() {
    for (Map.Entry<String, Long> change : pending.entrySet()) {
      String key = change.getKey();
      long value = change.getValue();
      if (value == REMOVED) {
        store.remove(key);
      } else {
        store.put(key, value);
      }
      pending.remove(key, value); // a newer change made meanwhile stays pending
    }
    store.flush();
  }

  /** Flushes now on the caller's thread (broker close). */
  @Override
  public void close() {
    applyAndFlush();
    store.close();
  }
}
