package dev.felix.broker.storage;

import dev.felix.broker.CacheStorage;
import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.error.StorageException;
import dev.felix.error.UnavailableException;
import dev.felix.storage.cache.CacheJournal;
import dev.felix.storage.cache.CacheLog;
import dev.felix.storage.cache.CacheLogMetrics;
import dev.felix.storage.cache.CacheLogRecord;
import dev.felix.storage.cache.CacheStoreConfig;
import dev.felix.storage.time.Clock;
import dev.felix.wire.message.CacheRef;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal of one durable cache: queues the store's changes (on the writer's thread, never
 * touching the disk) and writes them to the cache's {@link CacheLog} on a {@link StorageLane}, many
 * changes per append, compacting the log when it is due.
 *
 * <p>Bounded: at most {@link #MAX_QUEUED_BYTES} of changes wait; past it {@link #record} refuses a
 * write (the store answers {@code BACKPRESSURE}) but still takes evictions, which cannot be refused
 * and are bounded by the writes that caused them. Gauge {@code felix_cache_log_queued_bytes}.
 *
 * <p>Threading: {@link #record} from any thread (this object's monitor guards the queue); the log
 * is owned by the lane: only lane tasks touch it.
 */
public final class DurableCacheJournal implements CacheJournal {
  private static final Logger LOG = LoggerFactory.getLogger(DurableCacheJournal.class);

  /** 8 MiB of changes waiting per cache: a few milliseconds of disk, a bounded memory cost. */
  public static final long MAX_QUEUED_BYTES = 8L * 1024 * 1024;

  /** Most changes in one append: bounds the batch the lane builds. */
  static final int MAX_BATCH_RECORDS = 4096;

  private static final long CONTROL_TIMEOUT_SECONDS = 30;

  private record Pending(CacheLogRecord change, long bytes, CompletableFuture<Void> durable) {}

  private final CacheRef ref;
  private final CacheFiles files;
  private final StorageLane lane;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private final LongAdder failures = new LongAdder();
  private final CompletableFuture<Void> opened = new CompletableFuture<>();
  private long queuedBytes;
  private boolean drainScheduled;
  private boolean closed;

  /** Lane-owned; null until opened, or when opening failed. */
  private CacheLog log;

  private StorageException openFailure;
  private volatile CacheLogMetrics metrics = new CacheLogMetrics();

  private DurableCacheJournal(CacheRef ref, CacheFiles files, StorageLane lane) {
    this.ref = ref;
    this.files = files;
    this.lane = lane;
  }

  /**
   * Opens the log of a cache found on disk, on the calling thread (broker start), and replays it.
   */
  public static DurableCacheJournal recover(
      CacheRef ref, CacheStorage storage, BrokerStorage brokerStorage, Clock clock) {
    CacheFiles files = brokerStorage.cacheFiles().orElseThrow();
    DurableCacheJournal journal =
        new DurableCacheJournal(ref, files, brokerStorage.newLane(MAX_QUEUED_BYTES));
    journal.log =
        CacheLog.open(files.logDir(ref), storage.logConfig(), clock, brokerStorage.flusher());
    journal.metrics = journal.log.metrics();
    return journal;
  }

  /**
   * A journal for a new cache: its definition is written and its log created by the first lane
   * task, so that a cache auto-created on an event loop never waits for the disk there. Changes
   * queued meanwhile are written after it.
   *
   * @return the journal; {@link #opened()} completes when its files exist
   */
  public static DurableCacheJournal create(
      CacheRef ref,
      CacheStoreConfig settings,
      CacheStorage storage,
      BrokerStorage brokerStorage,
      Clock clock) {
    CacheFiles files =
        brokerStorage
            .cacheFiles()
            .orElseThrow(
                () ->
                    new UnavailableException(
                        ErrorCode.UNAVAILABLE, "durable cache " + ref + " needs a data directory"));
    DurableCacheJournal journal =
        new DurableCacheJournal(ref, files, brokerStorage.newLane(MAX_QUEUED_BYTES));
    journal.lane.force(
        0,
        () -> {
          try {
            files.writeDefinition(ref, settings, storage);
            journal.log =
                CacheLog.open(
                    files.logDir(ref), storage.logConfig(), clock, brokerStorage.flusher());
            journal.metrics = journal.log.metrics();
            journal.opened.complete(null);
          } catch (FelixException e) {
            journal.openFailure =
                new StorageException(
                    ErrorCode.STORAGE_ERROR,
                    "durable cache " + ref + " could not be created: " + e.getMessage(),
                    e);
            journal.failures.increment();
            journal.opened.completeExceptionally(journal.openFailure);
          }
        });
    return journal;
  }

  /** Completes when the cache's files exist (at once for a recovered cache). */
  public CompletionStage<Void> opened() {
    if (log != null) {
      opened.complete(null);
    }
    return opened;
  }

  /** The log's counters (zero until it is open). */
  public CacheLogMetrics metrics() {
    return metrics;
  }

  /** Entries the log holds, for the store to restore at start (call before any write). */
  public Iterable<CacheLogRecord> recoveredEntries() {
    return log.liveEntries();
  }

  /** Versions of the restored store continue above this. */
  public long recoveredMaxVersion() {
    return log.maxVersion();
  }

  /** Gauge {@code felix_cache_log_queued_bytes}. */
  public synchronized long queuedBytes() {
    return queuedBytes;
  }

  /** Counter part of {@code felix_cache_log_errors_total}: failures outside the log's appends. */
  public long failures() {
    return failures.sum();
  }

  @Override
  public CompletionStage<Void> record(CacheLogRecord change, boolean mustAccept) {
    long bytes = change.key().length() + change.value().length() + 64L;
    CompletableFuture<Void> durable = new CompletableFuture<>();
    synchronized (this) {
      if (closed) {
        return CompletableFuture.failedFuture(
            new UnavailableException(ErrorCode.UNAVAILABLE, "cache " + ref + " is closed"));
      }
      if (!mustAccept && queuedBytes > 0 && queuedBytes + bytes > MAX_QUEUED_BYTES) {
        return null;
      }
      queue.addLast(new Pending(change, bytes, durable));
      queuedBytes += bytes;
      if (!drainScheduled) {
        drainScheduled = true;
        lane.force(0, this::drain);
      }
    }
    return durable;
  }

  /** Rewrites the definition (new TTL defaults or value limit), after the queued changes. */
  public void updateDefinition(CacheStoreConfig settings, CacheStorage storage) {
    runOnLane(() -> files.writeDefinition(ref, settings, storage));
  }

  /** Writes what is queued, then closes the log (a final flush). Later changes are refused. */
  public void close() {
    runOnLane(
        () -> {
          markClosed();
          if (log != null) {
            log.close();
          }
        });
  }

  /** Drops the queue and deletes every file of the cache. */
  public void delete() {
    runOnLane(
        () -> {
          markClosed();
          if (log != null) {
            log.delete();
          }
          files.delete(ref);
        });
  }

  private synchronized void markClosed() {
    closed = true;
  }

  /** One lane task: takes up to a batch of queued changes and appends them as one batch. */
  private void drain() {
    List<Pending> batch = new ArrayList<>();
    synchronized (this) {
      while (!queue.isEmpty() && batch.size() < MAX_BATCH_RECORDS) {
        Pending next = queue.pollFirst();
        queuedBytes -= next.bytes();
        batch.add(next);
      }
      if (queue.isEmpty()) {
        drainScheduled = false;
      } else {
        lane.force(0, this::drain);
      }
    }
    if (batch.isEmpty()) {
      return;
    }
    if (log == null || closed()) {
      FelixException failure =
          openFailure != null
              ? openFailure
              : new UnavailableException(ErrorCode.UNAVAILABLE, "cache " + ref + " is closed");
      batch.forEach(p -> p.durable().completeExceptionally(failure));
      return;
    }
    List<CacheLogRecord> changes = new ArrayList<>(batch.size());
    batch.forEach(p -> changes.add(p.change()));
    CompletionStage<Void> durable;
    try {
      durable = log.append(changes);
    } catch (RuntimeException e) {
      batch.forEach(p -> p.durable().completeExceptionally(e));
      return;
    }
    durable.whenComplete(
        (ignored, failure) -> {
          for (Pending p : batch) {
            if (failure == null) {
              p.durable().complete(null);
            } else {
              p.durable().completeExceptionally(failure);
            }
          }
        });
    try {
      log.compactIfDue();
    } catch (RuntimeException e) {
      // The old generation stays in use and complete; the next append tries again.
      failures.increment();
      LOG.warn("cache {}: log compaction failed: {}", ref, e.getMessage());
    }
  }

  private synchronized boolean closed() {
    return closed;
  }

  /** Runs {@code work} on the lane after what is queued, and waits (admin and shutdown only). */
  private void runOnLane(Runnable work) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    lane.force(
        0,
        () -> {
          try {
            work.run();
            done.complete(null);
          } catch (RuntimeException e) {
            failures.increment();
            done.completeExceptionally(e);
          }
        });
    try {
      done.get(CONTROL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new StorageException(ErrorCode.STORAGE_ERROR, e.getCause().toString(), e);
    } catch (TimeoutException e) {
      throw new StorageException(
          ErrorCode.STORAGE_ERROR, "cache " + ref + ": the storage lane did not answer in time");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException(ErrorCode.UNAVAILABLE, "interrupted");
    }
  }
}
