package dev.felix.storage.log;

/**
 * Bounds of a {@link MemoryLog}. Validated once, at construction.
 *
 * @param maxBytes most encoded record bytes retained; the oldest records are evicted beyond it
 * @param maxRecords most records retained; the oldest records are evicted beyond it
 * @param chunkBytes size of the buffers records are stored in. Larger chunks mean fewer
 *     allocations; smaller ones return memory sooner after eviction. A batch larger than a chunk
 *     gets a chunk of its own size.
 */
public record MemoryLogConfig(long maxBytes, long maxRecords, int chunkBytes) {
  /** 64 MiB per shard. */
  public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;

  /** One million records per shard. */
  public static final long DEFAULT_MAX_RECORDS = 1_000_000;

  /** 1 MiB: large enough that allocation is rare, small enough to release memory steadily. */
  public static final int DEFAULT_CHUNK_BYTES = 1024 * 1024;

  /** Smallest accepted chunk; below it index overhead dominates. Tests use it for many chunks. */
  public static final int MIN_CHUNK_BYTES = 64;

  public static final MemoryLogConfig DEFAULTS =
      new MemoryLogConfig(DEFAULT_MAX_BYTES, DEFAULT_MAX_RECORDS, DEFAULT_CHUNK_BYTES);

  public MemoryLogConfig {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("log maxBytes must be >= 1, was " + maxBytes);
    }
    if (maxRecords < 1) {
      throw new IllegalArgumentException("log maxRecords must be >= 1, was " + maxRecords);
    }
    if (chunkBytes < MIN_CHUNK_BYTES) {
      throw new IllegalArgumentException(
          "log chunkBytes must be >= " + MIN_CHUNK_BYTES + ", was " + chunkBytes);
    }
  }

  /** These bounds with another {@code maxBytes}. */
  public MemoryLogConfig withMaxBytes(long bytes) {
    return new MemoryLogConfig(bytes, maxRecords, chunkBytes);
  }

  /** These bounds with another {@code maxRecords}. */
  public MemoryLogConfig withMaxRecords(long records) {
    return new MemoryLogConfig(maxBytes, records, chunkBytes);
  }

  /** These bounds with another {@code chunkBytes}. */
  public MemoryLogConfig withChunkBytes(int bytes) {
    return new MemoryLogConfig(maxBytes, maxRecords, bytes);
  }
}
