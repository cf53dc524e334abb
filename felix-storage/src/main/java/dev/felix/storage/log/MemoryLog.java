package dev.felix.storage.log;

import static dev.felix.wire.message.RecordCodec.LENGTH_PREFIX;
import static dev.felix.wire.message.RecordCodec.OFFSET_DELTA_OFFSET;

import dev.felix.error.ErrorCode;
import dev.felix.error.LimitException;
import dev.felix.error.NotFoundException;
import dev.felix.error.UnavailableException;
import dev.felix.storage.time.Clock;
import dev.felix.wire.message.RecordBatch;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A {@link Log} held in heap buffers ("chunks"), bounded by {@link MemoryLogConfig#maxBytes()} and
 * {@link MemoryLogConfig#maxRecords()}: an append first evicts the oldest records until the new
 * batch fits both bounds.
 *
 * <p>Records are stored in the wire's record layout. An append is one bulk copy plus a walk over
 * the length prefixes that stamps offset deltas and missing timestamps and feeds the sparse
 * indexes; a read is one bulk copy per chunk touched plus a walk that rewrites the offset deltas
 * relative to the first record read. Neither allocates per record.
 *
 * <p>Eviction is per record: {@code startOffset} moves exactly as far as the bounds require. The
 * evicted bytes of the oldest chunk stay allocated until its last record goes, and the newest chunk
 * may be partly empty, so the heap held is at most {@code maxBytes} plus about two chunks (plus one
 * recycled spare chunk) plus the sparse indexes (12 bytes per 16 records).
 *
 * <p>Chunks grow: a log's first chunk holds {@link #FIRST_CHUNK_BYTES} and each new one doubles
 * until {@link MemoryLogConfig#chunkBytes()}. Why: a broker may hold thousands of quiet streams
 * (BENCH.md W6), and a full-size first chunk each (1 MiB by default) would cost gigabytes of heap
 * for a few records per stream; a busy stream reaches full-size chunks after a few allocations.
 * Under G1 full-size chunks fill whole heap regions, so that young collections never copy them
 * ({@link ChunkSizing}: 4 MiB chunks on a 4-8 GiB heap).
 *
 * <p>Besides its own bounds a log admits growth against the broker-wide {@link MemoryBudget}: an
 * append that would make it hold more record bytes than before is refused with {@code
 * LIMIT_EXCEEDED} while that budget is spent (one a log at its own bound pays for by evicting
 * always passes).
 *
 * <p><b>Threading:</b> not thread-safe. One owner (the broker's shard lock) serialises all calls;
 * only the {@link LogMetrics} getters may be called from other threads, which is why the fields
 * they read are volatile (written by the owner only, so plain read-modify-write is safe).
 */
public final class MemoryLog implements Log, LogMetrics {
  /** Capacity of a log's first chunk (a batch larger than it gets a chunk of its own size). */
  static final int FIRST_CHUNK_BYTES = 4096;

  private final MemoryLogConfig config;
  private final Clock clock;
  private final MemoryBudget budget;
  private final ChunkSizing sizing;

  /** Capacity of full-size chunks: the configured size, fitted to the collector. */
  private final int standardChunkBytes;

  private final ChunkRing chunks = new ChunkRing();

  /** Byte position of the record at {@code startOffset} in the first chunk. */
  private int headPosition;

  private long lastAssignedTimestamp;

  /** Running maximum timestamp of every record ever appended (carried into each new chunk). */
  private long maxTimestamp = Long.MIN_VALUE;

  private Chunk spare;
  private boolean closed;

  /** Capacity of the next new chunk below the standard size (doubles per chunk, see above). */
  private int growingChunkBytes = FIRST_CHUNK_BYTES;

  /** What {@link #evict} found the log would hold after its eviction (owner only). */
  private long retainedBytesAfterEviction;

  private volatile long startOffset;
  private volatile long endOffset;
  private volatile long retainedRecords;
  private volatile long retainedBytes;
  private volatile long appendedRecords;
  private volatile long appendedBytes;
  private volatile long evictedRecords;
  private volatile long evictedBytes;

  /** A log bounded by {@code config} alone (no broker-wide budget). */
  public MemoryLog(MemoryLogConfig config, Clock clock) {
    this(config, clock, MemoryBudget.unbounded());
  }

  /** A log bounded by {@code config} whose growth is also admitted against {@code budget}. */
  public MemoryLog(MemoryLogConfig config, Clock clock, MemoryBudget budget) {
    this(config, clock, budget, ChunkSizing.JVM);
  }

  /** As above, with chunk sizes for a given collector (tests). */
  MemoryLog(MemoryLogConfig config, Clock clock, MemoryBudget budget, ChunkSizing sizing) {
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.budget = Objects.requireNonNull(budget, "budget");
    this.sizing = sizing;
    this.standardChunkBytes = sizing.standardBytes(config.chunkBytes(), config.maxBytes());
  }

  public MemoryLogConfig config() {
    return config;
  }

  @Override
  public Appended append(RecordBatch records) {
    ensureOpen();
    int count = records.count();
    int size = records.sizeBytes();
    // The budget is checked by checkAppend, before any shard of a publish appends: refusing here
    // could leave a publish split over several shards half appended. Past that check the append
    // goes ahead even if other logs spent the budget meanwhile (the documented overrun).
    checkBounds(count, size);
    evict(count, size, true);
    Chunk tail = chunks.last();
    if (tail == null || tail.room() < size) {
      tail = newChunk(size);
    }
    long base = endOffset;
    long now = Math.max(clock.epochMillis(), lastAssignedTimestamp);
    lastAssignedTimestamp = now;
    tail.append(records.bytes(), count, base, now);
    maxTimestamp = tail.maxTimestamp();
    // Single writer: each volatile is read once and written once (no lost update is possible).
    long retained = retainedRecords;
    long retainedSize = retainedBytes;
    long appended = appendedRecords;
    long appendedSize = appendedBytes;
    retainedRecords = retained + count;
    retainedBytes = retainedSize + size;
    budget.add(size);
    appendedRecords = appended + count;
    appendedBytes = appendedSize + size;
    endOffset = base + count;
    return new Appended(base, count, Appended.ALREADY_DURABLE);
  }

  @Override
  public void checkAppend(int recordCount, long sizeBytes) {
    checkBounds(recordCount, sizeBytes);
    if (!budget.hasRoomFor(sizeBytes)) {
      // Only near the budget: plan the eviction to learn the growth; append plans it again and
      // applies it. Each walk covers only the records this append evicts (whole chunks at a
      // step), so keeping the plan between the two calls would save little and need invalidating.
      evict(recordCount, sizeBytes, false);
      long growth = retainedBytesAfterEviction + sizeBytes - retainedBytes;
      if (growth > 0 && !budget.admits(growth)) {
        throw new LimitException(
            ErrorCode.LIMIT_EXCEEDED,
            "memory streams hold "
                + budget.usedBytes()
                + " of the broker's "
                + budget.maxBytes()
                + " bytes for them (FELIX_STREAMS_MEMORY_MAX_BYTES): delete streams or lower"
                + " their max_bytes, or use durable streams");
      }
    }
  }

  /** The log's own bounds: a batch that could never fit is refused. */
  private void checkBounds(int recordCount, long sizeBytes) {
    if (recordCount < 1) {
      throw new IllegalArgumentException("an append needs at least one record");
    }
    if (sizeBytes > config.maxBytes() || recordCount > config.maxRecords()) {
      throw new LimitException(
          ErrorCode.MESSAGE_TOO_LARGE,
          "a batch of "
              + recordCount
              + " records and "
              + sizeBytes
              + " bytes exceeds the log bounds of "
              + config.maxRecords()
              + " records and "
              + config.maxBytes()
              + " bytes");
    }
  }

  @Override
  public long startOffsetAfterAppend(int recordCount, long sizeBytes) {
    ensureOpen();
    return evict(recordCount, sizeBytes, false);
  }

  /**
   * Finds (and with {@code apply}, performs) the eviction that makes room for an append: whole
   * chunks when the excess covers them, else record by record. Returns the resulting start offset.
   */
  private long evict(int recordCount, long sizeBytes, boolean apply) {
    long start = startOffset;
    long records = retainedRecords;
    long bytes = retainedBytes;
    int position = headPosition;
    int dropChunks = 0;
    while (records > 0
        && (records + recordCount > config.maxRecords() || bytes + sizeBytes > config.maxBytes())) {
      Chunk head = chunks.get(dropChunks);
      long chunkRecords = head.endOffset() - start;
      long chunkBytes = (long) head.used - position;
      if (records + recordCount - config.maxRecords() >= chunkRecords
          || bytes + sizeBytes - config.maxBytes() >= chunkBytes) {
        records -= chunkRecords;
        bytes -= chunkBytes;
        start = head.endOffset();
        position = 0;
        dropChunks++;
      } else {
        int recordSize = LENGTH_PREFIX + head.data.getInt(position);
        position += recordSize;
        bytes -= recordSize;
        records--;
        start++;
      }
    }
    retainedBytesAfterEviction = bytes;
    if (apply && start != startOffset) {
      budget.release(retainedBytes - bytes);
      for (int i = 0; i < dropChunks; i++) {
        recycle(chunks.removeFirst());
      }
      long evicted = evictedRecords;
      long evictedSize = evictedBytes;
      evictedRecords = evicted + retainedRecords - records;
      evictedBytes = evictedSize + retainedBytes - bytes;
      retainedRecords = records;
      retainedBytes = bytes;
      headPosition = position;
      startOffset = start;
    }
    return start;
  }

  @Override
  public int read(long fromOffset, int maxRecords, int maxBytes, ByteBuffer out) {
    ensureOpen();
    if (fromOffset < startOffset || fromOffset > endOffset) {
      throw outOfRange(fromOffset);
    }
    if (fromOffset == endOffset || maxRecords <= 0) {
      return 0;
    }
    int chunkIndex = chunks.indexOf(fromOffset);
    Chunk chunk = chunks.get(chunkIndex);
    int position = chunk.positionOf(fromOffset);
    long offset = fromOffset;
    int capacity = out.remaining();
    int copied = 0;
    long copiedBytes = 0;
    boolean full = false;
    while (!full) {
      int runStart = position;
      int runRecords = 0;
      long chunkEnd = chunk.endOffset();
      while (offset + runRecords < chunkEnd && copied + runRecords < maxRecords) {
        int recordSize = LENGTH_PREFIX + chunk.data.getInt(position);
        long total = copiedBytes + (position - runStart) + recordSize;
        boolean first = copied + runRecords == 0;
        if ((!first && total > maxBytes) || total > capacity) {
          full = true;
          break;
        }
        position += recordSize;
        runRecords++;
      }
      if (runRecords > 0) {
        copyRun(chunk, runStart, position - runStart, runRecords, copied, out);
        copied += runRecords;
        copiedBytes += position - runStart;
        offset += runRecords;
      }
      if (full || copied == maxRecords || offset == endOffset) {
        break;
      }
      chunk = chunks.get(++chunkIndex);
      position = 0;
    }
    return copied;
  }

  /** Bulk-copies one run of records and renumbers their offset deltas from {@code firstDelta}. */
  private static void copyRun(
      Chunk chunk, int from, int length, int records, int firstDelta, ByteBuffer out) {
    int start = out.position();
    out.put(start, chunk.data, from, length);
    int position = start;
    for (int i = 0; i < records; i++) {
      out.putInt(position + OFFSET_DELTA_OFFSET, firstDelta + i);
      position += LENGTH_PREFIX + out.getInt(position);
    }
    out.position(start + length);
  }

  @Override
  public long offsetForTimestamp(long timestampMs) {
    ensureOpen();
    int chunkIndex = chunks.firstWithMaxTimestampAtLeast(timestampMs);
    if (chunkIndex < 0) {
      return endOffset;
    }
    return Math.max(startOffset, chunks.get(chunkIndex).offsetForTimestamp(timestampMs));
  }

  private Chunk newChunk(int minBytes) {
    int standard = standardChunkBytes;
    int capacity = Math.max(minBytes, Math.min(growingChunkBytes, standard));
    if (growingChunkBytes < standard) {
      growingChunkBytes = sizing.nextGrowingBytes(growingChunkBytes, standard);
    }
    Chunk chunk;
    if (spare != null && spare.capacity() >= capacity) {
      chunk = spare;
      spare = null;
    } else {
      chunk = new Chunk(capacity);
    }
    chunks.addLast(chunk.reset(endOffset, maxTimestamp));
    return chunk;
  }

  /** Keeps one standard-size chunk for reuse, so a log at its bound stops allocating. */
  private void recycle(Chunk chunk) {
    if (spare == null && chunk.capacity() == standardChunkBytes) {
      spare = chunk;
    }
    headPosition = 0;
  }

  /** Bytes of chunk buffers this log holds (retained records, free room and the spare chunk). */
  long chunkCapacityBytes() {
    long total = spare == null ? 0 : spare.capacity();
    for (int i = 0; i < chunks.size(); i++) {
      total += chunks.get(i).capacity();
    }
    return total;
  }

  private void ensureOpen() {
    if (closed) {
      throw new UnavailableException(ErrorCode.UNAVAILABLE, "the log is closed");
    }
  }

  private NotFoundException outOfRange(long offset) {
    return new NotFoundException(
        ErrorCode.OFFSET_OUT_OF_RANGE,
        "offset "
            + offset
            + " is outside the retained range ["
            + startOffset
            + ", "
            + endOffset
            + "]");
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
  public LogMetrics metrics() {
    return this;
  }

  @Override
  public long retainedRecords() {
    return retainedRecords;
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
  public void close() {
    if (!closed) {
      closed = true;
      chunks.clear();
      spare = null;
      budget.release(retainedBytes);
      retainedRecords = 0;
      retainedBytes = 0;
    }
  }
}
