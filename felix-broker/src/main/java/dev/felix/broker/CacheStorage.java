package dev.felix.broker;

import dev.felix.storage.cache.CacheLogConfig;
import dev.felix.storage.durable.DurableLogConfig;
import dev.felix.storage.durable.FsyncPolicy;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a cache keeps its entries: only in memory (lost on restart), or durable: in memory and in a
 * compacted log under the data directory, so its contents survive a restart. Chosen at creation,
 * never changed.
 *
 * @param durable true for a log-backed cache
 * @param fsync when a durable cache's writes are answered: ALWAYS after fsync, INTERVAL and NEVER
 *     once written to the file (a crash of the machine may lose the last interval's writes)
 * @param fsyncIntervalMs how often an INTERVAL log is forced
 */
public record CacheStorage(boolean durable, FsyncPolicy fsync, long fsyncIntervalMs) {
  public static final CacheStorage MEMORY =
      new CacheStorage(false, FsyncPolicy.ALWAYS, DurableLogConfig.DEFAULT_FSYNC_INTERVAL_MS);

  public CacheStorage {
    Objects.requireNonNull(fsync, "fsync");
    if (fsyncIntervalMs < 1) {
      throw new IllegalArgumentException("cache fsyncIntervalMs must be >= 1");
    }
  }

  public static CacheStorage durable(FsyncPolicy fsync) {
    return new CacheStorage(true, fsync, DurableLogConfig.DEFAULT_FSYNC_INTERVAL_MS);
  }

  /** The log settings of a durable cache: 64 MiB segments, no retention (compaction only). */
  public CacheLogConfig logConfig() {
    return CacheLogConfig.of(
        DurableLogConfig.DEFAULTS
            .withSegmentBytes(CacheLogConfig.DEFAULT_SEGMENT_BYTES)
            .withFsyncPolicy(fsync)
            .withFsyncIntervalMs(fsyncIntervalMs));
  }

  /** {@code memory}, or {@code durable}. */
  public String kind() {
    return durable ? "durable" : "memory";
  }

  /** The fsync policy as configured ({@code always|interval|never}). */
  public String fsyncName() {
    return fsync.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return durable ? "durable[fsync=" + fsyncName() + "]" : "memory";
  }
}
