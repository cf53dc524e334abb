package dev.felix.broker.storage;

import dev.felix.broker.BrokerConfig;
import dev.felix.broker.StreamConfig;
import dev.felix.error.ErrorCode;
import dev.felix.error.UnavailableException;
import dev.felix.storage.durable.DurableLog;
import dev.felix.storage.durable.FlushScheduler;
import dev.felix.storage.log.Log;
import dev.felix.storage.log.MemoryBudget;
import dev.felix.storage.log.MemoryLog;
import dev.felix.storage.time.Clock;
import dev.felix.wire.message.StreamRef;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The broker's storage resources: the stream directory layout, the one fsync thread shared by every
 * durable log, and the storage threads that run durable appends (so that disk writes never happen
 * on a transport event loop). Memory streams use none of it.
 *
 * <p>Threading: thread-safe; created with the broker, closed after every stream is closed.
 */
public final class BrokerStorage implements AutoCloseable {
  private final Clock clock;
  private final MemoryBudget memoryBudget;
  private final StreamFiles files;
  private final CacheFiles cacheFiles;
  private final FlushScheduler flusher;
  private final ThreadPoolExecutor appenders;

  public BrokerStorage(BrokerConfig config, Clock clock) {
    this.clock = clock;
    this.memoryBudget = new MemoryBudget(config.streamsMemoryMaxBytes());
    this.files = config.dataDir().map(StreamFiles::new).orElse(null);
    this.cacheFiles = config.dataDir().map(CacheFiles::new).orElse(null);
    this.flusher = files == null ? null : new FlushScheduler("felix-fsync", clock);
    AtomicInteger serial = new AtomicInteger();
    // Unbounded queue of lane drain tasks: each durable stream has at most one task queued (its
    // lane runs one at a time), so the queue is bounded by the stream limit.
    this.appenders =
        new ThreadPoolExecutor(
            config.storageThreads(),
            config.storageThreads(),
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            task -> {
              Thread thread = new Thread(task, "felix-storage-" + serial.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    this.appenders.allowCoreThreadTimeOut(true);
  }

  /** The stream layout, when the broker has a data directory. */
  public Optional<StreamFiles> files() {
    return Optional.ofNullable(files);
  }

  /**
   * Opens the log of one shard: a bounded memory log, or the durable log in the shard's directory
   * (recovering it: a torn tail is truncated, a damaged sealed segment refuses the open).
   */
  public Log openLog(StreamRef stream, int shard, StreamConfig config) {
    if (!config.durable()) {
      return new MemoryLog(config.log(), clock, memoryBudget);
    }
    if (files == null) {
      throw new UnavailableException(
          ErrorCode.UNAVAILABLE, "durable stream " + stream + " needs a data directory");
    }
    return DurableLog.open(files.shardDir(stream, shard), config.storage().log(), clock, flusher);
  }

  /** The record bytes all memory streams hold together, and their bound. */
  public MemoryBudget memoryBudget() {
    return memoryBudget;
  }

  /** The durable cache layout, when the broker has a data directory. */
  public Optional<CacheFiles> cacheFiles() {
    return Optional.ofNullable(cacheFiles);
  }

  /** The fsync thread shared by every durable log; null without a data directory. */
  public FlushScheduler flusher() {
    return flusher;
  }

  /** A serial lane for one durable stream's appends, on the shared storage threads. */
  public StorageLane newLane(long maxQueuedBytes) {
    return new StorageLane(appenders, maxQueuedBytes);
  }

  @Override
  public void close() {
    appenders.shutdown();
    try {
      appenders.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (flusher != null) {
      flusher.close();
    }
  }

  /** The shared storage threads (for tests). */
  ExecutorService appenders() {
    return appenders;
  }
}
