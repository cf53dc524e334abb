package dev.felix.storage.durable;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The values behind {@link DurableLogMetrics}. Owner-thread values are volatile fields written by
 * the owner only (plain read-modify-write is then safe); values the flusher thread also writes are
 * written under the log's force lock (fsync counters) or are atomics (I/O errors, written by both).
 */
final class DurableLogCounters implements DurableLogMetrics {
  volatile long startOffset;
  volatile long endOffset;
  volatile long retainedBytes;
  volatile long appendedRecords;
  volatile long appendedBytes;
  volatile long evictedRecords;
  volatile long evictedBytes;
  volatile int segments;
  volatile long diskBytes;
  volatile long indexRebuilds;
  volatile long recoveryTruncatedBytes;
  volatile long rolls;

  private volatile long durableEndOffset;
  private volatile long fsyncs;
  private volatile long fsyncNanosTotal;
  private volatile long fsyncNanosMax;
  private final AtomicLong ioErrors = new AtomicLong();

  /** Under the force lock (one writer at a time); each volatile is read once, written once. */
  void fsynced(long nanos) {
    long count = fsyncs;
    long total = fsyncNanosTotal;
    fsyncs = count + 1;
    fsyncNanosTotal = total + nanos;
    fsyncNanosMax = Math.max(fsyncNanosMax, nanos);
  }

  /** Owner thread only. */
  void appended(long records, long bytes) {
    long appended = appendedRecords;
    long appendedSize = appendedBytes;
    appendedRecords = appended + records;
    appendedBytes = appendedSize + bytes;
  }

  /** Owner thread only. */
  void evicted(long records, long bytes) {
    long evicted = evictedRecords;
    long evictedSize = evictedBytes;
    evictedRecords = evicted + records;
    evictedBytes = evictedSize + bytes;
  }

  /** Owner thread only. */
  void rolled() {
    long count = rolls;
    rolls = count + 1;
  }

  /** Owner thread only. */
  void indexRebuilt() {
    long count = indexRebuilds;
    indexRebuilds = count + 1;
  }

  void durableEndOffset(long offset) {
    if (offset > durableEndOffset) {
      durableEndOffset = offset;
    }
  }

  void ioError() {
    ioErrors.incrementAndGet();
  }

  @Override
  public long retainedRecords() {
    return endOffset - startOffset;
  }

  @Override
  public long retainedBytes() {
    return retainedBytes;
  }

  @Override
  public long appendedRecords() {
    return appendedRecords;
  }

  @Override
  public long appendedBytes() {
    return appendedBytes;
  }

  @Override
  public long evictedRecords() {
    return evictedRecords;
  }

  @Override
  public long evictedBytes() {
    return evictedBytes;
  }

  @Override
  public long startOffset() {
    return startOffset;
  }

  @Override
  public long endOffset() {
    return endOffset;
  }

  @Override
  public int segments() {
    return segments;
  }

  @Override
  public long diskBytes() {
    return diskBytes;
  }

  @Override
  public long durableEndOffset() {
    return durableEndOffset;
  }

  @Override
  public long fsyncs() {
    return fsyncs;
  }

  @Override
  public long fsyncNanosTotal() {
    return fsyncNanosTotal;
  }

  @Override
  public long fsyncNanosMax() {
    return fsyncNanosMax;
  }

  @Override
  public long ioErrors() {
    return ioErrors.get();
  }

  @Override
  public long indexRebuilds() {
    return indexRebuilds;
  }

  @Override
  public long recoveryTruncatedBytes() {
    return recoveryTruncatedBytes;
  }

  @Override
  public long rolls() {
    return rolls;
  }
}
