package dev.felix.broker;

import dev.felix.storage.cache.CacheStoreConfig;
import dev.felix.wire.Names;
import dev.felix.wire.WireLimits;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Broker-wide settings: an immutable value built by {@link #builder()}, validated once by {@link
 * Builder#build()} with messages that name the setting. Defaults are the constants below.
 */
public final class BrokerConfig {
  /** Auto-create streams on first publish or subscribe (the embedded default is on). */
  public static final boolean DEFAULT_AUTO_CREATE_STREAMS = true;

  public static final int DEFAULT_MAX_STREAMS = 1024;
  public static final int DEFAULT_MAX_SUBSCRIPTIONS = 100_000;

  /**
   * Named subscription cursors per broker: each costs a map entry per shard in memory and, on a
   * durable stream, an entry per shard in the cursor position file, rewritten on every flush.
   */
  public static final int DEFAULT_MAX_CURSORS = 10_000;

  /** 1 MiB per record. */
  public static final int DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;

  /**
   * Catch-up work done per scheduled step of one lagging subscription, in bytes, so that a
   * subscriber replaying a large backlog never holds a shard's lock for long.
   */
  public static final int DEFAULT_CATCH_UP_BYTES_PER_STEP = 1024 * 1024;

  /** Threads appending to durable logs: two keep one slow disk write from stalling every stream. */
  public static final int DEFAULT_STORAGE_THREADS = 2;

  /** Threads of the scheduler {@link Broker#start} creates (timers, catch-up, wake-ups). */
  public static final int DEFAULT_SCHEDULER_THREADS = 2;

  /**
   * Most bytes an EventBatch payload adds around its records: subscription id, the largest stream
   * reference, shard, base offset and count.
   */
  public static final int EVENT_BATCH_OVERHEAD_BYTES = 4 + 3 + 3 * Names.MAX_LENGTH + 4 + 8 + 4;

  /** Bytes a CacheValue answer adds around its value: status, version, TTL, value length. */
  public static final int CACHE_VALUE_OVERHEAD_BYTES = 1 + 8 + 8 + 4;

  private final boolean autoCreateStreams;
  private final int maxStreams;
  private final long streamsMemoryMaxBytes;
  private final int maxSubscriptions;
  private final int maxCursors;
  private final int maxRecordBytes;
  private final int maxBatchBytes;
  private final int catchUpBytesPerStep;
  private final int schedulerThreads;
  private final WireLimits wireLimits;
  private final StreamConfig defaultStream;
  private final CachesConfig caches;
  private final Path dataDir;
  private final int storageThreads;
  private final QueueConfig queues;
  private final CacheWatchConfig cacheWatches;

  private BrokerConfig(Builder builder) {
    this.autoCreateStreams = builder.autoCreateStreams;
    this.maxStreams = builder.maxStreams;
    this.streamsMemoryMaxBytes =
        builder.streamsMemoryMaxBytes > 0
            ? builder.streamsMemoryMaxBytes
            : Math.max(1, Runtime.getRuntime().maxMemory() / 2);
    this.maxSubscriptions = builder.maxSubscriptions;
    this.maxCursors = builder.maxCursors;
    this.maxRecordBytes = builder.maxRecordBytes;
    this.maxBatchBytes = builder.maxBatchBytes;
    this.catchUpBytesPerStep = builder.catchUpBytesPerStep;
    this.schedulerThreads = builder.schedulerThreads;
    this.wireLimits = builder.wireLimits;
    this.defaultStream = builder.defaultStream;
    this.caches = builder.caches;
    this.dataDir = builder.dataDir;
    this.storageThreads = builder.storageThreads;
    this.queues = builder.queues;
    this.cacheWatches = builder.cacheWatches;
  }

  /** Bounds of cache watches. */
  public CacheWatchConfig cacheWatches() {
    return cacheWatches;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The defaults. */
  public static BrokerConfig defaults() {
    return builder().build();
  }

  public boolean autoCreateStreams() {
    return autoCreateStreams;
  }

  /** Most streams the broker holds; creating one more fails with {@code LIMIT_EXCEEDED}. */
  public int maxStreams() {
    return maxStreams;
  }

  /**
   * Record bytes all memory streams may hold together (see {@code MemoryBudget}): a publish that
   * would make a memory stream grow past it fails with {@code LIMIT_EXCEEDED}. Unless set, half of
   * the JVM's maximum heap.
   */
  public long streamsMemoryMaxBytes() {
    return streamsMemoryMaxBytes;
  }

  /** Most open subscriptions broker-wide; one more fails with {@code LIMIT_EXCEEDED}. */
  public int maxSubscriptions() {
    return maxSubscriptions;
  }

  /** Named subscription cursors the broker holds at most ({@code LIMIT_EXCEEDED} past it). */
  public int maxCursors() {
    return maxCursors;
  }

  /** Largest encoded record (RecordCodec layout, length prefix included). */
  public int maxRecordBytes() {
    return maxRecordBytes;
  }

  /** Largest encoded record run in one publish. */
  public int maxBatchBytes() {
    return maxBatchBytes;
  }

  public int catchUpBytesPerStep() {
    return catchUpBytesPerStep;
  }

  public int schedulerThreads() {
    return schedulerThreads;
  }

  /** The limits the server's codec uses; event batches are built within them. */
  public WireLimits wireLimits() {
    return wireLimits;
  }

  /** Settings of auto-created streams. */
  public StreamConfig defaultStream() {
    return defaultStream;
  }

  /**
   * Where durable streams keep their files ({@code <dataDir>/streams/...}); empty when the broker
   * has no data directory, in which case durable streams are refused.
   */
  public Optional<Path> dataDir() {
    return Optional.ofNullable(dataDir);
  }

  /** Threads that append to durable logs (never a transport event loop). */
  public int storageThreads() {
    return storageThreads;
  }

  /** Settings of consumer groups. */
  public QueueConfig queues() {
    return queues;
  }

  /** Settings of the named caches. */
  public CachesConfig caches() {
    return caches;
  }

  /**
   * Checks that a cache's settings fit this broker: its largest value must fit an answer frame.
   *
   * @throws IllegalArgumentException naming the setting
   */
  public void validate(CacheStoreConfig cache) {
    int frameRoom = wireLimits.maxFramePayloadBytes() - CACHE_VALUE_OVERHEAD_BYTES;
    if (cache.maxValueBytes() > frameRoom) {
      throw new IllegalArgumentException(
          "cache maxValueBytes " + cache.maxValueBytes() + " exceeds the frame room " + frameRoom);
    }
  }

  /**
   * Checks that a stream's settings fit this broker: every event batch it can produce must fit a
   * frame, and its log must hold the largest record.
   *
   * @throws IllegalArgumentException naming the setting
   */
  public void validate(StreamConfig stream) {
    int frameRoom = wireLimits.maxFramePayloadBytes() - EVENT_BATCH_OVERHEAD_BYTES;
    if (stream.batching().maxBytes() > frameRoom) {
      throw new IllegalArgumentException(
          "batching maxBytes "
              + stream.batching().maxBytes()
              + " exceeds the frame room "
              + frameRoom);
    }
    if (stream.batching().maxRecords() > wireLimits.maxRecordsPerBatch()) {
      throw new IllegalArgumentException(
          "batching maxRecords "
              + stream.batching().maxRecords()
              + " exceeds the wire limit maxRecordsPerBatch "
              + wireLimits.maxRecordsPerBatch());
    }
    if (stream.durable() && dataDir == null) {
      throw new IllegalArgumentException(
          "durable streams need a data directory (FELIX_DATA_DIR); this broker has none");
    }
    if (stream.log().maxBytes() < maxRecordBytes) {
      throw new IllegalArgumentException(
          "log maxBytes " + stream.log().maxBytes() + " is below maxRecordBytes " + maxRecordBytes);
    }
  }

  /**
   * Checks that a cache's storage fits this broker.
   *
   * @throws IllegalArgumentException for a durable cache on a broker without a data directory
   */
  public void validate(CacheStorage storage) {
    if (storage.durable() && dataDir == null) {
      throw new IllegalArgumentException(
          "durable caches need a data directory (FELIX_DATA_DIR); this broker has none");
    }
  }

  @Override
  public String toString() {
    return "BrokerConfig[autoCreateStreams="
        + autoCreateStreams
        + ", maxStreams="
        + maxStreams
        + ", streamsMemoryMaxBytes="
        + streamsMemoryMaxBytes
        + ", maxSubscriptions="
        + maxSubscriptions
        + ", maxCursors="
        + maxCursors
        + ", maxRecordBytes="
        + maxRecordBytes
        + ", maxBatchBytes="
        + maxBatchBytes
        + ", catchUpBytesPerStep="
        + catchUpBytesPerStep
        + ", schedulerThreads="
        + schedulerThreads
        + ", wireLimits="
        + wireLimits
        + ", defaultStream="
        + defaultStream
        + ", caches="
        + caches
        + ", dataDir="
        + dataDir
        + ", storageThreads="
        + storageThreads
        + ", queues="
        + queues
        + "]";
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private boolean autoCreateStreams = DEFAULT_AUTO_CREATE_STREAMS;
    private int maxStreams = DEFAULT_MAX_STREAMS;
    private long streamsMemoryMaxBytes;
    private int maxSubscriptions = DEFAULT_MAX_SUBSCRIPTIONS;
    private int maxCursors = DEFAULT_MAX_CURSORS;
    private int maxRecordBytes = DEFAULT_MAX_RECORD_BYTES;
    private int maxBatchBytes = -1;
    private int catchUpBytesPerStep = DEFAULT_CATCH_UP_BYTES_PER_STEP;
    private int schedulerThreads = DEFAULT_SCHEDULER_THREADS;
    private WireLimits wireLimits = WireLimits.DEFAULTS;
    private StreamConfig defaultStream = StreamConfig.DEFAULTS;
    private CachesConfig caches = CachesConfig.DEFAULTS;
    private Path dataDir;
    private int storageThreads = DEFAULT_STORAGE_THREADS;
    private QueueConfig queues = QueueConfig.DEFAULTS;
    private CacheWatchConfig cacheWatches = CacheWatchConfig.DEFAULTS;

    private Builder() {}

    public Builder queues(QueueConfig value) {
      queues = Objects.requireNonNull(value, "queues");
      return this;
    }

    public Builder autoCreateStreams(boolean value) {
      autoCreateStreams = value;
      return this;
    }

    public Builder maxStreams(int value) {
      maxStreams = value;
      return this;
    }

    /** Bytes for all memory streams' records together; 0 (default): half the maximum heap. */
    public Builder streamsMemoryMaxBytes(long value) {
      streamsMemoryMaxBytes = value;
      return this;
    }

    public Builder maxSubscriptions(int value) {
      maxSubscriptions = value;
      return this;
    }

    public Builder maxCursors(int value) {
      maxCursors = value;
      return this;
    }

    public Builder maxRecordBytes(int value) {
      maxRecordBytes = value;
      return this;
    }

    /** Defaults to the wire's frame payload limit. */
    public Builder maxBatchBytes(int value) {
      maxBatchBytes = value;
      return this;
    }

    public Builder catchUpBytesPerStep(int value) {
      catchUpBytesPerStep = value;
      return this;
    }

    public Builder schedulerThreads(int value) {
      schedulerThreads = value;
      return this;
    }

    public Builder wireLimits(WireLimits value) {
      wireLimits = Objects.requireNonNull(value, "wireLimits");
      return this;
    }

    public Builder defaultStream(StreamConfig value) {
      defaultStream = Objects.requireNonNull(value, "defaultStream");
      return this;
    }

    /** The data directory; durable streams live under {@code <value>/streams}. */
    public Builder dataDir(Path value) {
      dataDir = value;
      return this;
    }

    public Builder cacheWatches(CacheWatchConfig value) {
      cacheWatches = java.util.Objects.requireNonNull(value, "cacheWatches");
      return this;
    }

    public Builder storageThreads(int value) {
      storageThreads = value;
      return this;
    }

    public Builder caches(CachesConfig value) {
      caches = Objects.requireNonNull(value, "caches");
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException naming the first invalid setting
     */
    public BrokerConfig build() {
      if (maxBatchBytes < 0) {
        maxBatchBytes = wireLimits.maxFramePayloadBytes();
      }
      require("maxStreams", maxStreams, 1, Integer.MAX_VALUE);
      if (streamsMemoryMaxBytes < 0) {
        throw new IllegalArgumentException(
            "streamsMemoryMaxBytes must be >= 0 (0: half the heap): " + streamsMemoryMaxBytes);
      }
      require("maxSubscriptions", maxSubscriptions, 1, Integer.MAX_VALUE);
      require("maxCursors", maxCursors, 1, Integer.MAX_VALUE);
      require("maxBatchBytes", maxBatchBytes, 64, wireLimits.maxFramePayloadBytes());
      require(
          "maxRecordBytes",
          maxRecordBytes,
          64,
          Math.min(maxBatchBytes, wireLimits.maxFramePayloadBytes() - EVENT_BATCH_OVERHEAD_BYTES));
      require("catchUpBytesPerStep", catchUpBytesPerStep, 1, Integer.MAX_VALUE);
      require("schedulerThreads", schedulerThreads, 1, 64);
      require("storageThreads", storageThreads, 1, 64);
      if (wireLimits.maxBatchEntries() < wireLimits.maxRecordsPerBatch()) {
        // A keyed batch spread over shards is acked with up to one range per record.
        throw new IllegalArgumentException(
            "wireLimits.maxBatchEntries must be >= maxRecordsPerBatch, was "
                + wireLimits.maxBatchEntries());
      }
      BrokerConfig config = new BrokerConfig(this);
      try {
        config.validate(defaultStream);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("defaultStream: " + e.getMessage(), e);
      }
      try {
        config.validate(caches.defaults());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("caches.defaults: " + e.getMessage(), e);
      }
      config.validate(caches.storage());
      return config;
    }

    private static void require(String name, int value, int min, int max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(
            name + " must be between " + min + " and " + max + ", was " + value);
      }
    }
  }
}
