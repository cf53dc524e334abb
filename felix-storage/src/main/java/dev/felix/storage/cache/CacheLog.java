package dev.felix.storage.cache;

import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.error.StorageException;
import dev.felix.storage.durable.DurableLog;
import dev.felix.storage.durable.FlushScheduler;
import dev.felix.storage.durable.FsyncPolicy;
import dev.felix.storage.time.Clock;
import dev.felix.wire.Bytes;
import dev.felix.wire.WireLimits;
import dev.felix.wire.message.RecordBatch;
import dev.felix.wire.message.RecordData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The log of one durable cache: every put and removal appended to a {@link DurableLog} in the
 * current generation directory ({@link CacheLogGenerations}), replayed at open, and compacted when
 * it holds much more than the live entries.
 *
 * <ul>
 *   <li><b>Replay</b>: the last record of a key in log order wins (the store appends a key's
 *       changes in the order it makes them, so this is also version order); a REMOVE drops the key;
 *       an entry whose absolute deadline has passed is not restored.
 *   <li><b>Compaction</b>: when the log is above {@link CacheLogConfig#compactMinBytes()} and more
 *       than {@link CacheLogConfig#compactRatio()} times the live bytes, the live, unexpired
 *       entries are written to the next generation, which is forced and atomically renamed into
 *       place before the old generation is deleted.
 * </ul>
 *
 * <p>The live map holds references to the same key and value objects as the cache store, so it
 * costs a map node per entry, not a second copy of the data.
 *
 * <p>Threading: not thread-safe; one owner (the cache's storage lane) makes every call, never a
 * transport event loop, since every call may touch the disk. {@link #metrics()} may be read from
 * any thread.
 */
public final class CacheLog implements AutoCloseable {
  /** Replay reads record keys up to the wire maximum and values up to the frame ceiling. */
  private static final WireLimits REPLAY_LIMITS =
      new WireLimits(WireLimits.ABSOLUTE_MAX_FRAME_PAYLOAD_BYTES, 1_000_000, 0xFFFF, 64, 0, 1);

  private static final int REPLAY_BUFFER_BYTES = 1 << 20;
  private static final int COMPACT_BATCH_RECORDS = 1024;

  private final Path dir;
  private final CacheLogConfig config;
  private final Clock clock;
  private final FlushScheduler flusher;
  private final Map<Bytes, CacheLogRecord> live = new HashMap<>();
  private final CacheLogMetrics metrics = new CacheLogMetrics();
  private long generation;
  private DurableLog log;
  private long liveBytes;
  private long maxVersion;

  private CacheLog(Path dir, CacheLogConfig config, Clock clock, FlushScheduler flusher) {
    this.dir = dir;
    this.config = config;
    this.clock = clock;
    this.flusher = flusher;
  }

  /**
   * Opens (creating if needed) the cache log in {@code dir}, finishing or discarding an interrupted
   * compaction, and replays it.
   *
   * @throws StorageException when the directory cannot be read or a record is not a cache change
   */
  public static CacheLog open(
      Path dir, CacheLogConfig config, Clock clock, FlushScheduler flusher) {
    CacheLog cacheLog = new CacheLog(dir, config, clock, flusher);
    try {
      cacheLog.generation = CacheLogGenerations.recover(dir);
    } catch (IOException e) {
      throw new StorageException(
          ErrorCode.STORAGE_ERROR, "cannot recover cache log " + dir + ": " + e, e);
    }
    cacheLog.log =
        DurableLog.open(
            CacheLogGenerations.dir(dir, cacheLog.generation), config.log(), clock, flusher);
    try {
      cacheLog.replay();
    } catch (RuntimeException e) {
      cacheLog.log.close();
      throw e;
    }
    return cacheLog;
  }

  /** The live entries found at open or since, each the last PUT of its key. */
  public Iterable<CacheLogRecord> liveEntries() {
    return live.values();
  }

  /** The highest version any record carried: the store's versions continue above it. */
  public long maxVersion() {
    return maxVersion;
  }

  public CacheLogMetrics metrics() {
    return metrics;
  }

  public Path directory() {
    return dir;
  }

  /** The generation in use (1, then one more per compaction). */
  public long generation() {
    return generation;
  }

  /**
   * Appends the changes as one batch.
   *
   * @return completes when the batch is as durable as the fsync policy promises
   * @throws StorageException on an I/O error ({@code STORAGE_FULL} for a full disk); nothing of the
   *     batch is then part of the log
   */
  public CompletionStage<Void> append(List<CacheLogRecord> changes) {
    List<RecordData> records = new ArrayList<>(changes.size());
    for (CacheLogRecord change : changes) {
      records.add(change.toRecord());
    }
    CompletionStage<Void> durable;
    try {
      durable = log.append(RecordBatch.of(records)).durable();
    } catch (FelixException e) {
      metrics.errors++;
      throw e;
    }
    for (CacheLogRecord change : changes) {
      apply(change);
    }
    publishMetrics();
    return durable;
  }

  /** True when the log is above the minimum and more than the ratio times the live bytes. */
  public boolean compactionDue() {
    long bytes = log.metrics().retainedBytes();
    return bytes > config.compactMinBytes() && bytes > (long) config.compactRatio() * liveBytes;
  }

  /** Compacts when {@link #compactionDue()}; returns whether it did. */
  public boolean compactIfDue() {
    if (!compactionDue()) {
      return false;
    }
    compact(() -> {});
    return true;
  }

  /**
   * Rewrites the live, unexpired entries into the next generation and switches to it.
   *
   * @param beforePublish runs when the new generation is complete and forced but not yet renamed
   *     into place (tests simulate a crash there)
   */
  void compact(Runnable beforePublish) {
    long next = generation + 1;
    Path compacting = CacheLogGenerations.compactingDir(dir, next);
    Path target = CacheLogGenerations.dir(dir, next);
    long now = clock.epochMillis();
    try {
      CacheLogGenerations.deleteTree(compacting);
      // NEVER: no fsync per batch; close() forces the whole generation once, before the rename.
      try (DurableLog fresh =
          DurableLog.open(
              compacting, config.log().withFsyncPolicy(FsyncPolicy.NEVER), clock, flusher)) {
        List<CacheLogRecord> batch = new ArrayList<>(COMPACT_BATCH_RECORDS);
        List<Bytes> expired = new ArrayList<>();
        for (CacheLogRecord entry : live.values()) {
          if (entry.expiredAt(now)) {
            expired.add(entry.key());
            continue;
          }
          batch.add(entry);
          if (batch.size() == COMPACT_BATCH_RECORDS) {
            appendAll(fresh, batch);
          }
        }
        appendAll(fresh, batch);
        for (Bytes key : expired) {
          liveBytes -= live.remove(key).sizeBytes();
        }
      }
      beforePublish.run();
      CacheLogGenerations.publish(compacting, target);
    } catch (IOException | UncheckedIOException | FelixException e) {
      metrics.errors++;
      throw new StorageException(
          ErrorCode.STORAGE_ERROR, "cache log compaction in " + dir + " failed: " + e, e);
    }
    // The new generation is complete and in place: a crash from here on recovers to it.
    DurableLog old = log;
    long oldGeneration = generation;
    log = DurableLog.open(target, config.log(), clock, flusher);
    generation = next;
    old.close();
    try {
      CacheLogGenerations.deleteTree(CacheLogGenerations.dir(dir, oldGeneration));
    } catch (IOException e) {
      // Harmless: the next open deletes every lower generation.
      metrics.errors++;
    }
    metrics.compactions++;
    publishMetrics();
  }

  /** Closes the log (a final flush: a clean close is durable). */
  @Override
  public void close() {
    log.close();
  }

  /** Closes the log and deletes every file of the cache; returns the bytes removed. */
  public long delete() {
    log.close();
    try {
      return CacheLogGenerations.deleteTree(dir);
    } catch (IOException e) {
      throw new StorageException(
          ErrorCode.STORAGE_ERROR, "cannot delete cache log " + dir + ": " + e, e);
    }
  }

  private static void appendAll(DurableLog target, List<CacheLogRecord> batch) {
    if (batch.isEmpty()) {
      return;
    }
    List<RecordData> records = new ArrayList<>(batch.size());
    for (CacheLogRecord entry : batch) {
      records.add(entry.toRecord());
    }
    target.append(RecordBatch.of(records));
    batch.clear();
  }

  private void replay() {
    ByteBuffer buffer = ByteBuffer.allocate(REPLAY_BUFFER_BYTES);
    long offset = log.startOffset();
    long replayed = 0;
    String where = log.directory().toString();
    while (offset < log.endOffset()) {
      buffer.clear();
      int count = log.read(offset, 10_000, Integer.MAX_VALUE, buffer);
      if (count == 0) {
        // The next record is larger than the buffer: grow to the frame ceiling, no further.
        if (buffer.capacity() >= WireLimits.ABSOLUTE_MAX_FRAME_PAYLOAD_BYTES) {
          throw new StorageException(
              ErrorCode.STORAGE_ERROR, "cache log " + where + " holds an oversized record");
        }
        buffer = ByteBuffer.allocate(buffer.capacity() * 2);
        continue;
      }
      buffer.flip();
      RecordBatch run = RecordBatch.wrap(buffer, count, RecordBatch.Kind.EVENT, REPLAY_LIMITS);
      for (RecordData record : run.toRecords()) {
        apply(CacheLogRecord.of(record, where));
      }
      offset += count;
      replayed += count;
    }
    long now = clock.epochMillis();
    live.values().removeIf(entry -> entry.expiredAt(now));
    liveBytes = 0;
    for (CacheLogRecord entry : live.values()) {
      liveBytes += entry.sizeBytes();
    }
    metrics.replayedRecords = replayed;
    metrics.restoredEntries = live.size();
    publishMetrics();
  }

  private void apply(CacheLogRecord change) {
    maxVersion = Math.max(maxVersion, change.version());
    CacheLogRecord previous =
        change.op() == CacheLogRecord.Op.PUT
            ? live.put(change.key(), change)
            : live.remove(change.key());
    if (previous != null) {
      liveBytes -= previous.sizeBytes();
    }
    if (change.op() == CacheLogRecord.Op.PUT) {
      liveBytes += change.sizeBytes();
    }
  }

  private void publishMetrics() {
    metrics.logBytes = log.metrics().retainedBytes();
    metrics.liveBytes = liveBytes;
  }
}
