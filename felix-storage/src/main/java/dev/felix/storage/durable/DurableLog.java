package dev.felix.storage.durable;

import dev.felix.error.ErrorCode;
import dev.felix.error.LimitException;
import dev.felix.error.NotFoundException;
import dev.felix.error.StorageException;
import dev.felix.error.UnavailableException;
import dev.felix.storage.log.Appended;
import dev.felix.storage.log.Log;
import dev.felix.storage.log.ProducerStamp;
import dev.felix.storage.log.StampedBatch;
import dev.felix.storage.time.Clock;
import dev.felix.wire.message.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable {@link Log} of one shard: a directory of segment files, each a sequence of CRC32C-
 * checked batches in {@link BatchFormat}, with a sparse offset index and time index per segment
 * ({@code docs/storage-format.md} draws every layout).
 *
 * <ul>
 *   <li><b>Append</b> encodes the batch into a reusable buffer and writes it with one positional
 *       write <em>on the caller's thread</em>, which therefore must be a storage thread, never an
 *       event loop. A failed write is cut off again before the exception is thrown, so no half
 *       batch is ever part of the log, and the next append tries again (a full disk recovers by
 *       itself once space returns). The segment rolls first when the batch would take it past
 *       {@link DurableLogConfig#segmentBytes()} or it is older than {@link
 *       DurableLogConfig#segmentMaxAgeMs()}.
 *   <li><b>Durability</b> follows {@link FsyncPolicy}; fsyncs run on the shared {@link
 *       FlushScheduler}, and {@link Appended#durable()} completes on its thread.
 *   <li><b>Reads</b> seek by index and copy whole records out as EVENT runs, with positional reads
 *       on the caller's thread (they may block on disk).
 *   <li><b>Retention</b> deletes whole sealed segments: {@link #applyRetention} is called by the
 *       owner periodically, and after every roll.
 *   <li><b>Open</b> recovers the directory (see {@link LogRecovery}) and reports what it did in
 *       {@link #recoveryReport()}. A directory is opened by one log at a time (a lock file).
 * </ul>
 *
 * <p><b>Threading:</b> as the {@link Log} contract says, not thread-safe: one owner serialises
 * every call. The {@link DurableLogMetrics} getters may be read from any thread, and the flusher
 * thread touches only this log's {@link LogSync}.
 */
public final class DurableLog implements Log {
  private static final Logger LOG = LoggerFactory.getLogger(DurableLog.class);

  private final Path dir;
  private final DurableLogConfig config;
  private final Clock clock;
  private final FlushScheduler scheduler;
  private final FileIo io;
  private final List<Segment> segments;
  private final RecoveryReport recoveryReport;
  private final DurableLogCounters counters = new DurableLogCounters();
  private final BatchWriter writer;
  private final LogReader reader;
  private final LogSync sync;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private long startOffset;
  private long endOffset;
  private long lastAssignedTimestamp;
  private long sealedBytes;
  private long sealedDiskBytes;

  /** A failed write may have left bytes after the valid end that could not be cut off yet. */
  private boolean tailDirty;

  private boolean closed;

  /** Stamps read at open, until the owner takes them (then null, so the memory is released). */
  private List<StampedBatch> recoveredProducers;

  private DurableLog(
      Path dir,
      DurableLogConfig config,
      Clock clock,
      FlushScheduler scheduler,
      FileIo io,
      LogRecovery recovery,
      ReadWindow window,
      FileChannel lockChannel,
      FileLock lock) {
    this.dir = dir;
    this.config = config;
    this.clock = clock;
    this.scheduler = scheduler;
    this.io = io;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.segments = new ArrayList<>(recovery.segments());
    this.recoveryReport = recovery.report();
    this.recoveredProducers = recovery.producers().batches();
    if (recovery.producers().forgottenProducers() > 0) {
      LOG.info(
          "log {}: {} idempotent producers beyond the {} kept at recovery were not remembered",
          dir,
          recovery.producers().forgottenProducers(),
          RecoveredProducers.MAX_PRODUCERS);
    }
    this.writer = new BatchWriter(config.readBufferBytes());
    this.reader = new LogReader(segments, window, io, counters, config.indexIntervalBytes());
    this.startOffset = segments.get(0).baseOffset;
    Segment active = active();
    this.endOffset = active.endOffset;
    this.lastAssignedTimestamp = Math.max(0, Math.min(active.endMaxTimestamp, clock.epochMillis()));
    counters.indexRebuilds = recoveryReport.indexesRebuilt();
    counters.recoveryTruncatedBytes = recoveryReport.truncatedBytes();
    recountSealed();
    this.sync =
        new LogSync(
            config.fsyncPolicy(),
            config.fsyncIntervalMs(),
            active.channel,
            active.logFile,
            endOffset,
            counters,
            clock);
    if (config.fsyncPolicy() != FsyncPolicy.NEVER) {
      scheduler.register(sync);
    }
  }

  /**
   * Opens (creating if needed) the log in {@code dir} and recovers it.
   *
   * @param scheduler the shared flusher; it must outlive the log
   * @throws StorageException when the directory cannot be read or locked, or a sealed segment is
   *     corrupt (the message names the file and byte position)
   */
  public static DurableLog open(
      Path dir, DurableLogConfig config, Clock clock, FlushScheduler scheduler) {
    return open(dir, config, clock, scheduler, FileIo.DEFAULT);
  }

  static DurableLog open(
      Path dir, DurableLogConfig config, Clock clock, FlushScheduler scheduler, FileIo io) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(scheduler, "scheduler");
    FileChannel lockChannel = null;
    try {
      Files.createDirectories(dir);
      lockChannel =
          FileChannel.open(
              dir.resolve(SegmentNames.LOCK_FILE),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE);
      FileLock lock = tryLock(lockChannel, dir);
      ReadWindow window = new ReadWindow(config.readBufferBytes());
      LogRecovery recovery = new LogRecovery(dir, config, io, window, clock.epochMillis());
      recovery.run();
      return new DurableLog(dir, config, clock, scheduler, io, recovery, window, lockChannel, lock);
    } catch (IOException e) {
      closeQuietly(lockChannel, e);
      throw StorageErrors.of("opening log", dir, e);
    } catch (RuntimeException e) {
      closeQuietly(lockChannel, e);
      throw e;
    }
  }

  private static FileLock tryLock(FileChannel channel, Path dir) throws IOException {
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      throw new StorageException(
          ErrorCode.STORAGE_ERROR, "log " + dir + " is already open (its lock file is held)");
    }
    return lock;
  }

  private static void closeQuietly(FileChannel channel, Exception failure) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        failure.addSuppressed(e);
      }
    }
  }

  public Path directory() {
    return dir;
  }

  public DurableLogConfig config() {
    return config;
  }

  /**
   * The idempotent producers' batches that open read (format 2 batches, at most the last {@value
   * RecoveredProducers#BATCHES_PER_PRODUCER} per producer and {@value
   * RecoveredProducers#MAX_PRODUCERS} producers), in offset order. Under {@link
   * SealedSegmentCheck#EAGER} that is the whole log; under {@code LAZY} the active segment and the
   * tail of each sealed one. Returns them once; later calls return an empty list.
   */
  @Override
  public List<StampedBatch> takeRecoveredProducers() {
    List<StampedBatch> batches = recoveredProducers == null ? List.of() : recoveredProducers;
    recoveredProducers = null;
    return batches;
  }

  /** What open found and repaired. */
  public RecoveryReport recoveryReport() {
    return recoveryReport;
  }

  @Override
  public Appended append(RecordBatch records) {
    return append(records, null);
  }

  /**
   * Appends like {@link #append(RecordBatch)}; a non-null {@code stamp} is stored in the batch
   * (format 2), so that {@link #takeRecoveredProducers()} returns it after a restart.
   */
  @Override
  public Appended append(RecordBatch records, ProducerStamp stamp) {
    ensureOpen();
    sync.throwIfFailed();
    int count = records.count();
    int size = records.sizeBytes();
    checkAppend(count, size);
    long now = clock.epochMillis();
    Segment active =
        rollIfDue(
            now, size + (stamp == null ? BatchFormat.HEADER_BYTES : BatchFormat.HEADER_BYTES_V2));
    long timestamp = Math.max(now, lastAssignedTimestamp);
    long base = endOffset;
    ByteBuffer batch = writer.encode(records, base, timestamp, stamp);
    int batchBytes = batch.remaining();
    long position = active.size;
    try {
      if (tailDirty) {
        active.channel.truncate(position);
        tailDirty = false;
      }
      Segment.writeFully(active.channel, batch, position);
    } catch (IOException e) {
      counters.ioError();
      cutFailedWrite(active, position);
      throw StorageErrors.of("appending to", active.logFile, e);
    }
    lastAssignedTimestamp = timestamp;
    if (active.size == 0) {
      active.createdMs = now;
    }
    if (!active.appended(
        (int) position, batchBytes, count, writer.maxTimestamp(), config.indexIntervalBytes())) {
      counters.ioError();
    }
    endOffset = base + count;
    counters.appended(count, size);
    publishOffsets();
    CompletionStage<Void> durable = sync.appended(batchBytes, endOffset, scheduler);
    return new Appended(base, count, durable);
  }

  /**
   * Removes whatever a failed write left after the valid end. If even that fails, the next append
   * retries it first; until then the bytes are invisible (reads stop at the valid end) and a
   * restart would cut them as a torn tail.
   */
  private void cutFailedWrite(Segment active, long validBytes) {
    reader.window().invalidate();
    try {
      active.channel.truncate(validBytes);
      tailDirty = false;
    } catch (IOException e) {
      tailDirty = true;
      counters.ioError();
    }
  }

  /** Throws {@code MESSAGE_TOO_LARGE} for a batch above the format's per-batch ceiling. */
  @Override
  public void checkAppend(int recordCount, long sizeBytes) {
    if (recordCount < 1) {
      throw new IllegalArgumentException("an append needs at least one record");
    }
    if (sizeBytes > BatchFormat.MAX_RECORD_BYTES) {
      throw new LimitException(
          ErrorCode.MESSAGE_TOO_LARGE,
          "a batch of "
              + sizeBytes
              + " bytes exceeds the durable log's limit of "
              + BatchFormat.MAX_RECORD_BYTES
              + " bytes per batch");
    }
  }

  /** A durable log never evicts on append: retention runs separately. */
  @Override
  public long startOffsetAfterAppend(int recordCount, long sizeBytes) {
    ensureOpen();
    return startOffset;
  }

  private Segment rollIfDue(long nowMs, int batchBytes) {
    Segment active = active();
    boolean full = active.size + (long) batchBytes > config.segmentBytes();
    boolean old = nowMs - active.createdMs >= config.segmentMaxAgeMs();
    if (active.size == 0 || !(full || old)) {
      return active;
    }
    Segment next;
    try {
      next = LogRecovery.createSegment(dir, endOffset, active.endMaxTimestamp, io, nowMs);
    } catch (IOException e) {
      counters.ioError();
      throw StorageErrors.of("creating segment in", dir, e);
    }
    try {
      sync.switchTo(next.channel, next.logFile);
      active.seal(io);
      forceDirectory();
    } catch (IOException e) {
      // The new segment is already where fsyncs go; keep it (empty) rather than undo the switch.
      counters.ioError();
      LOG.warn("log {}: sealing {} failed: {}", dir, active.logFile.getFileName(), e.toString());
    }
    segments.add(next);
    counters.rolled();
    recountSealed();
    applyRetention(nowMs);
    return next;
  }

  /** Makes new and deleted file names durable; not needed under {@link FsyncPolicy#NEVER}. */
  private void forceDirectory() throws IOException {
    if (config.fsyncPolicy() == FsyncPolicy.NEVER) {
      return;
    }
    try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
      directory.force(true);
    }
  }

  /**
   * Deletes the oldest sealed segments that are past retention: while the newest record of the
   * oldest sealed segment is older than {@code nowMs - retentionMs}, or while all segments together
   * take more than {@code retentionBytes}. The active segment is never deleted, so after this the
   * segments take at most {@code max(retentionBytes, active segment size)}. {@link #startOffset()}
   * moves to the first remaining segment.
   *
   * @return the number of segments deleted
   */
  public int applyRetention(long nowMs) {
    ensureOpen();
    int deleted = 0;
    while (segments.size() > 1) {
      Segment oldest = segments.get(0);
      boolean expired =
          config.retentionMs() != DurableLogConfig.UNLIMITED
              && oldest.endMaxTimestamp < nowMs - config.retentionMs();
      boolean oversize =
          config.retentionBytes() != DurableLogConfig.UNLIMITED
              && counters.retainedBytes > config.retentionBytes();
      if (!expired && !oversize) {
        break;
      }
      try {
        oldest.delete();
      } catch (IOException e) {
        counters.ioError();
        LOG.warn("log {}: retention could not delete {}: {}", dir, oldest.logFile, e.toString());
        if (Files.exists(oldest.logFile)) {
          break;
        }
      }
      reader.window().invalidate();
      segments.remove(0);
      startOffset = segments.get(0).baseOffset;
      counters.evicted(oldest.records(), oldest.size);
      recountSealed();
      deleted++;
    }
    return deleted;
  }

  @Override
  public int read(long fromOffset, int maxRecords, int maxBytes, ByteBuffer out) {
    ensureOpen();
    if (fromOffset < startOffset || fromOffset > endOffset) {
      throw new NotFoundException(
          ErrorCode.OFFSET_OUT_OF_RANGE,
          "offset "
              + fromOffset
              + " is outside the retained range ["
              + startOffset
              + ", "
              + endOffset
              + "]");
    }
    if (fromOffset == endOffset || maxRecords <= 0) {
      return 0;
    }
    try {
      return reader.read(fromOffset, endOffset, maxRecords, maxBytes, out);
    } catch (IOException e) {
      counters.ioError();
      throw StorageErrors.of("reading", dir, e);
    }
  }

  @Override
  public long offsetForTimestamp(long timestampMs) {
    ensureOpen();
    try {
      return reader.offsetForTimestamp(timestampMs, startOffset, endOffset);
    } catch (IOException e) {
      counters.ioError();
      throw StorageErrors.of("reading", dir, e);
    }
  }

  @Override
  public long startOffset() {
    return startOffset;
  }

  @Override
  public long endOffset() {
    return endOffset;
  }

  /**
   * Every record below this offset is as safe as the fsync policy makes it; under {@link
   * FsyncPolicy#ALWAYS} it trails {@link #endOffset()} until the next fsync. A shard that must only
   * fan out forced records can fan out up to here.
   */
  public long durableEndOffset() {
    return counters.durableEndOffset();
  }

  @Override
  public DurableLogMetrics metrics() {
    return counters;
  }

  private Segment active() {
    return segments.get(segments.size() - 1);
  }

  /** Re-sums the sealed segments' sizes; after open, roll and retention (not per append). */
  private void recountSealed() {
    long bytes = 0;
    long disk = 0;
    for (int i = 0; i < segments.size() - 1; i++) {
      bytes += segments.get(i).size;
      disk += segments.get(i).diskBytes();
    }
    sealedBytes = bytes;
    sealedDiskBytes = disk;
    counters.segments = segments.size();
    publishOffsets();
  }

  private void publishOffsets() {
    Segment active = active();
    counters.startOffset = startOffset;
    counters.endOffset = endOffset;
    counters.retainedBytes = sealedBytes + active.size;
    counters.diskBytes = sealedDiskBytes + active.diskBytes();
  }

  private void ensureOpen() {
    if (closed) {
      throw new UnavailableException(ErrorCode.UNAVAILABLE, "the log " + dir + " is closed");
    }
  }

  /**
   * Forces what is written (whatever the policy: a clean close loses nothing), closes every file
   * and releases the directory. Stages still waiting fail if that final fsync fails.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    sync.close();
    scheduler.unregister(sync);
    IOException failure = null;
    for (Segment segment : segments) {
      try {
        if (segment == active()) {
          segment.seal(io);
        }
        segment.close();
      } catch (IOException e) {
        failure = failure == null ? e : failure;
      }
    }
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      failure = failure == null ? e : failure;
    }
    if (failure != null) {
      counters.ioError();
      throw StorageErrors.of("closing log", dir, failure);
    }
  }
}
