package dev.felix.storage.durable;

/**
 * Settings of one {@link DurableLog}, validated once at construction; the {@code with} methods
 * return modified copies.
 *
 * @param segmentBytes a segment is rolled when the next batch would take it past this size; a
 *     single batch larger than this gets a segment of its own
 * @param segmentMaxAgeMs a segment is rolled at the first append this long after the segment's
 *     first append, so that time retention can delete data from quiet logs
 * @param indexIntervalBytes a batch that starts at least this many bytes after the last indexed
 *     batch gets an index entry (the first batch of a segment always does): a lookup reads at most
 *     about this many bytes beyond the entry it seeks to
 * @param fsyncPolicy when appends are forced to disk, see {@link FsyncPolicy}
 * @param fsyncIntervalMs the period of {@link FsyncPolicy#INTERVAL}
 * @param retentionMs sealed segments whose newest record is older than this are deleted by {@link
 *     DurableLog#applyRetention}; {@link #UNLIMITED} keeps them
 * @param retentionBytes oldest sealed segments are deleted while the segments take more than this;
 *     {@link #UNLIMITED} keeps them
 * @param sealedSegmentCheck how far {@link DurableLog#open} verifies sealed segments
 * @param readBufferBytes initial size of the per-log read and scan buffer; it grows to hold the
 *     largest batch met
 */
public record DurableLogConfig(
    long segmentBytes,
    long segmentMaxAgeMs,
    int indexIntervalBytes,
    FsyncPolicy fsyncPolicy,
    long fsyncIntervalMs,
    long retentionMs,
    long retentionBytes,
    SealedSegmentCheck sealedSegmentCheck,
    int readBufferBytes) {

  /** Retention value that disables that kind of retention. */
  public static final long UNLIMITED = -1;

  /** 1 GiB: few files per shard, and positions still fit the index's 32-bit fields. */
  public static final long DEFAULT_SEGMENT_BYTES = 1L << 30;

  /**
   * Largest segment: index positions are unsigned 32-bit, and a batch may start just below the
   * limit.
   */
  public static final long MAX_SEGMENT_BYTES = Integer.MAX_VALUE;

  /** Smallest segment accepted; tests use tiny segments to get many of them. */
  public static final long MIN_SEGMENT_BYTES = 64;

  /** 7 days. */
  public static final long DEFAULT_SEGMENT_MAX_AGE_MS = 7L * 24 * 3600 * 1000;

  /** 4 KiB: one page read per lookup; the index costs 20 bytes per 4 KiB of records. */
  public static final int DEFAULT_INDEX_INTERVAL_BYTES = 4096;

  public static final long DEFAULT_FSYNC_INTERVAL_MS = 1000;

  /** 64 KiB: a typical read of a few hundred small records needs one pread. */
  public static final int DEFAULT_READ_BUFFER_BYTES = 64 * 1024;

  public static final DurableLogConfig DEFAULTS =
      new DurableLogConfig(
          DEFAULT_SEGMENT_BYTES,
          DEFAULT_SEGMENT_MAX_AGE_MS,
          DEFAULT_INDEX_INTERVAL_BYTES,
          FsyncPolicy.ALWAYS,
          DEFAULT_FSYNC_INTERVAL_MS,
          UNLIMITED,
          UNLIMITED,
          SealedSegmentCheck.EAGER,
          DEFAULT_READ_BUFFER_BYTES);

  public DurableLogConfig {
    requireRange("segmentBytes", segmentBytes, MIN_SEGMENT_BYTES, MAX_SEGMENT_BYTES);
    requireRange("segmentMaxAgeMs", segmentMaxAgeMs, 1, Long.MAX_VALUE);
    requireRange("indexIntervalBytes", indexIntervalBytes, 0, Integer.MAX_VALUE);
    if (fsyncPolicy == null) {
      throw new IllegalArgumentException("log fsyncPolicy must be set");
    }
    requireRange("fsyncIntervalMs", fsyncIntervalMs, 1, 24L * 3600 * 1000);
    requireRange("retentionMs", retentionMs, UNLIMITED, Long.MAX_VALUE);
    requireRange("retentionBytes", retentionBytes, UNLIMITED, Long.MAX_VALUE);
    if (sealedSegmentCheck == null) {
      throw new IllegalArgumentException("log sealedSegmentCheck must be set");
    }
    requireRange("readBufferBytes", readBufferBytes, 1024, 64 * 1024 * 1024);
  }

  private static void requireRange(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          "log " + name + " must be between " + min + " and " + max + ", was " + value);
    }
  }

  public DurableLogConfig withSegmentBytes(long bytes) {
    return new DurableLogConfig(
        bytes,
        segmentMaxAgeMs,
        indexIntervalBytes,
        fsyncPolicy,
        fsyncIntervalMs,
        retentionMs,
        retentionBytes,
        sealedSegmentCheck,
        readBufferBytes);
  }

  public DurableLogConfig withSegmentMaxAgeMs(long ms) {
    return new DurableLogConfig(
        segmentBytes,
        ms,
        indexIntervalBytes,
        fsyncPolicy,
        fsyncIntervalMs,
        retentionMs,
        retentionBytes,
        sealedSegmentCheck,
        readBufferBytes);
  }

  public DurableLogConfig withIndexIntervalBytes(int bytes) {
    return new DurableLogConfig(
        segmentBytes,
        segmentMaxAgeMs,
        bytes,
        fsyncPolicy,
        fsyncIntervalMs,
        retentionMs,
        retentionBytes,
        sealedSegmentCheck,
        readBufferBytes);
  }

  public DurableLogConfig withFsyncPolicy(FsyncPolicy policy) {
    return new DurableLogConfig(
        segmentBytes,
        segmentMaxAgeMs,
        indexIntervalBytes,
        policy,
        fsyncIntervalMs,
        retentionMs,
        retentionBytes,
        sealedSegmentCheck,
        readBufferBytes);
  }

  public DurableLogConfig withFsyncIntervalMs(long ms) {
    return new DurableLogConfig(
        segmentBytes,
        segmentMaxAgeMs,
        indexIntervalBytes,
        fsyncPolicy,
        ms,
        retentionMs,
        retentionBytes,
        sealedSegmentCheck,
        readBufferBytes);
  }

  public DurableLogConfig withRetentionMs(long ms) {
    return new DurableLogConfig(
        segmentBytes,
        segmentMaxAgeMs,
        indexIntervalBytes,
        fsyncPolicy,
        fsyncIntervalMs,
        ms,
        retentionBytes,
        sealedSegmentCheck,
        readBufferBytes);
  }

  public DurableLogConfig withRetentionBytes(long bytes) {
    return new DurableLogConfig(
        segmentBytes,
        segmentMaxAgeMs,
        indexIntervalBytes,
        fsyncPolicy,
        fsyncIntervalMs,
        retentionMs,
        bytes,
        sealedSegmentCheck,
        readBufferBytes);
  }

  public DurableLogConfig withSealedSegmentCheck(SealedSegmentCheck check) {
    return new DurableLogConfig(
        segmentBytes,
        segmentMaxAgeMs,
        indexIntervalBytes,
        fsyncPolicy,
        fsyncIntervalMs,
        retentionMs,
        retentionBytes,
        check,
        readBufferBytes);
  }

  public DurableLogConfig withReadBufferBytes(int bytes) {
    return new DurableLogConfig(
        segmentBytes,
        segmentMaxAgeMs,
        indexIntervalBytes,
        fsyncPolicy,
        fsyncIntervalMs,
        retentionMs,
        retentionBytes,
        sealedSegmentCheck,
        bytes);
  }
}
