package dev.felix.broker.core;

import dev.felix.broker.storage.StorageLane;
import dev.felix.storage.durable.PositionStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The durable half of named subscription cursors: their positions on durable streams, in one {@link
 * PositionStore} file ({@code <dataDir>/cursors/positions.fxps}) keyed {@code
 * tenant/namespace/stream/cursor/shard}. Kept apart from consumer-group positions so that the two
 * evolve (and are flushed) independently.
 *
 * <p>A change is recorded in {@link #pending} and a flush is queued on a storage lane of its own;
 * the returned stage completes once a flush that started after the change has forced the file, so a
 * synchronous commit is answered only when it is durable, and fsync never runs on an event loop or
 * under a shard lock. Commits that arrive during a flush share the next one (group commit): one
 * fsync per flush, not per commit.
 *
 * <p>Threading: thread-safe. {@code queued} keeps at most one flush on the lane; {@link #waiters}
 * is guarded by its own monitor. Bounded by the cursors the registry admits.
 */
final class CursorStore implements AutoCloseable {
  /** A pending removal (positions are offsets, never negative). */
  private static final long REMOVED = Long.MIN_VALUE;

  private final PositionStore store;
  private final StorageLane lane;
  private final ConcurrentHashMap<String, Long> pending = new ConcurrentHashMap<>();
  private final List<CompletableFuture<Void>> waiters = new ArrayList<>();
  private final AtomicBoolean queued = new AtomicBoolean();

  private CursorStore(PositionStore store, StorageLane lane) {
    this.store = store;
    this.lane = lane;
  }

  static CursorStore open(Path dataDir, StorageLane lane) {
    return new CursorStore(
        PositionStore.open(dataDir.resolve("cursors").resolve("positions.fxps")), lane);
  }

  /** Every stored key and position, as of open (the registry's starting state). */
  Map<String, Long> snapshot() {
    return store.snapshot();
  }

  /** Stores {@code value} under {@code key}; completes when it is on disk. */
  CompletionStage<Void> put(String key, long value) {
    pending.put(key, value);
    return flushSoon();
  }

  /** Removes {@code key}; completes when the removal is on disk. */
  CompletionStage<Void> remove(String key) {
    pending.put(key, REMOVED);
    return flushSoon();
  }

  private CompletionStage<Void> flushSoon() {
    CompletableFuture<Void> durable = new CompletableFuture<>();
    synchronized (waiters) {
      waiters.add(durable);
    }
    queueFlush();
    return durable;
  }

  private void queueFlush() {
    if (queued.compareAndSet(false, true)) {
      // Zero-byte tasks on a lane of our own: never refused (StorageLane#offer).
      if (!lane.offer(0, this::flush)) {
        queued.set(false);
        failWaiters(new IllegalStateException("the cursor storage lane refused a flush"));
      }
    }
  }

  /** Storage thread: applies the changes made so far, forces them, completes their waiters. */
  private void flush() {
    List<CompletableFuture<Void>> covered;
    synchronized (waiters) {
      covered = new ArrayList<>(waiters);
      waiters.clear();
    }
    // Every covered waiter put its change in pending before registering, so this flush holds it.
    RuntimeException failure = null;
    try {
      applyAndFlush();
    } catch (RuntimeException e) {
      failure = e;
    } finally {
      queued.set(false);
    }
    for (CompletableFuture<Void> waiter : covered) {
      if (failure == null) {
        waiter.complete(null);
      } else {
        waiter.completeExceptionally(failure);
      }
    }
    boolean more;
    synchronized (waiters) {
      more = !waiters.isEmpty();
    }
    if (more) {
      queueFlush();
    }
  }

  private void failWaiters(RuntimeException failure) {
    List<CompletableFuture<Void>> failed;
    synchronized (waiters) {
      failed = new ArrayList<>(waiters);
      waiters.clear();
    }
    failed.forEach(waiter -> waiter.completeExceptionally(failure));
  }

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
    failWaiters(new IllegalStateException("the broker closed"));
  }
}
