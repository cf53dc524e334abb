package dev.felix.storage.durable;

import dev.felix.error.ErrorCode;
import dev.felix.error.StorageException;
import dev.felix.storage.log.Appended;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The fsync side of one {@link DurableLog}: which bytes are written, which are forced, and the
 * {@code durable} stages waiting for a force. Positions are a log-wide byte sequence (bytes ever
 * appended in this process), so one number covers appends across a segment roll.
 *
 * <p><b>Threading:</b> the log's owner thread calls {@link #appended} and {@link #switchTo}; the
 * {@link FlushScheduler} thread calls {@link #flush}. Fields marked "guarded by this" are read and
 * written under this object's monitor, which is held only for bookkeeping, never during an fsync.
 * {@link #forceLock} serialises forces (flusher versus the owner's roll and close) and is what
 * keeps a channel from being swapped or closed while it is being forced.
 *
 * <p>An fsync failure is sticky: Linux may drop the dirty pages of a failed fsync, so the log
 * cannot know what reached the disk. Every waiting and later append then fails with {@code
 * STORAGE_ERROR} until the log is reopened, which re-reads and re-checks what is really on disk.
 */
final class LogSync {
  private final FsyncPolicy policy;
  private final long intervalNanos;
  private final DurableLogCounters counters;
  private final dev.felix.storage.time.Clock clock;
  private final Object forceLock = new Object();

  /** Guarded by this. */
  private FileChannel channel;

  /** Guarded by this. */
  private Path file;

  /** Guarded by this. */
  private long writtenBytes;

  /** Guarded by this. */
  private long writtenEndOffset;

  /** Guarded by this. */
  private long forcedBytes;

  /** Guarded by this. */
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();

  /** Guarded by this. */
  private StorageException failure;

  /** Guarded by this. */
  private boolean closed;

  /** Read by the scheduler thread only. */
  private long nextDueNanos;

  private record Pending(long bytes, CompletableFuture<Void> future) {}

  LogSync(
      FsyncPolicy policy,
      long intervalMs,
      FileChannel channel,
      Path file,
      long endOffset,
      DurableLogCounters counters,
      dev.felix.storage.time.Clock clock) {
    this.policy = policy;
    this.intervalNanos = intervalMs * 1_000_000L;
    this.channel = channel;
    this.file = file;
    this.writtenEndOffset = endOffset;
    this.counters = counters;
    this.clock = clock;
    this.nextDueNanos = clock.nanoTime() + intervalNanos;
    counters.durableEndOffset(endOffset);
  }

  FsyncPolicy policy() {
    return policy;
  }

  /** Throws the sticky fsync failure, if any. */
  synchronized void throwIfFailed() {
    if (failure != null) {
      throw new StorageException(
          ErrorCode.STORAGE_ERROR,
          "an earlier fsync failed, so the log cannot tell what is on disk; reopen it: "
              + failure.getMessage(),
          failure);
    }
  }

  /**
   * Records {@code bytes} just written, ending at {@code endOffset}, and returns the stage the
   * caller's {@link Appended} carries. Under {@link FsyncPolicy#ALWAYS} it completes after a force
   * that covers these bytes; otherwise it is already complete.
   */
  CompletionStage<Void> appended(long bytes, long endOffset, FlushScheduler scheduler) {
    CompletableFuture<Void> future;
    synchronized (this) {
      writtenBytes += bytes;
      writtenEndOffset = endOffset;
      if (policy != FsyncPolicy.ALWAYS) {
        counters.durableEndOffset(endOffset);
        return Appended.ALREADY_DURABLE;
      }
      future = new CompletableFuture<>();
      pending.addLast(new Pending(writtenBytes, future));
    }
    scheduler.request(this);
    return future;
  }

  /** True when written bytes are not forced yet. */
  synchronized boolean dirty() {
    return writtenBytes > forcedBytes;
  }

  /**
   * Forces everything written so far and completes the stages it covers. Called by the flusher, and
   * by the owner on roll and close. A no-op when nothing new was written.
   */
  void flush() {
    synchronized (forceLock) {
      FileChannel target;
      Path targetFile;
      long bytes;
      long endOffset;
      synchronized (this) {
        if (closed || failure != null || writtenBytes == forcedBytes) {
          return;
        }
        target = channel;
        targetFile = file;
        bytes = writtenBytes;
        endOffset = writtenEndOffset;
      }
      long start = System.nanoTime();
      try {
        target.force(false);
      } catch (IOException e) {
        counters.ioError();
        fail(StorageErrors.of("fsync of", targetFile, e));
        return;
      }
      counters.fsynced(System.nanoTime() - start);
      complete(bytes, endOffset);
    }
  }

  private void complete(long bytes, long endOffset) {
    List<CompletableFuture<Void>> done = new ArrayList<>();
    synchronized (this) {
      forcedBytes = bytes;
      while (!pending.isEmpty() && pending.peekFirst().bytes() <= bytes) {
        done.add(pending.pollFirst().future());
      }
    }
    counters.durableEndOffset(endOffset);
    // Completed outside the monitor: callers' continuations run here, on the flusher thread.
    for (CompletableFuture<Void> future : done) {
      future.complete(null);
    }
  }

  private void fail(StorageException error) {
    List<CompletableFuture<Void>> failed = new ArrayList<>();
    synchronized (this) {
      failure = error;
      while (!pending.isEmpty()) {
        failed.add(pending.pollFirst().future());
      }
    }
    for (CompletableFuture<Void> future : failed) {
      future.completeExceptionally(error);
    }
  }

  /**
   * Forces the current segment (completing every waiting stage) and makes {@code next} the file
   * later flushes force. The owner calls it when it rolls to a new segment, so a sealed segment is
   * always fully forced and the flusher never touches it again.
   */
  void switchTo(FileChannel next, Path nextFile) {
    synchronized (forceLock) {
      flush();
      throwIfFailed();
      synchronized (this) {
        channel = next;
        file = nextFile;
      }
    }
  }

  /** Final flush (for every policy: a clean close is durable); later flushes do nothing. */
  void close() {
    synchronized (forceLock) {
      flush();
      List<CompletableFuture<Void>> orphaned = new ArrayList<>();
      synchronized (this) {
        closed = true;
        while (!pending.isEmpty()) {
          orphaned.add(pending.pollFirst().future());
        }
      }
      StorageException closedError =
          new StorageException(ErrorCode.STORAGE_ERROR, "the log closed before an fsync");
      for (CompletableFuture<Void> future : orphaned) {
        future.completeExceptionally(closedError);
      }
    }
  }

  /** Scheduler thread: whether an {@link FsyncPolicy#INTERVAL} flush is due at {@code now}. */
  boolean intervalDue(long nowNanos) {
    return policy == FsyncPolicy.INTERVAL && nowNanos - nextDueNanos >= 0;
  }

  /** Scheduler thread: nanoseconds until the next interval flush, or Long.MAX_VALUE for none. */
  long nanosUntilDue(long nowNanos) {
    return policy == FsyncPolicy.INTERVAL ? nextDueNanos - nowNanos : Long.MAX_VALUE;
  }

  /** Scheduler thread: runs the interval flush and schedules the next one. */
  void intervalFlush() {
    nextDueNanos = clock.nanoTime() + intervalNanos;
    flush();
  }
}
