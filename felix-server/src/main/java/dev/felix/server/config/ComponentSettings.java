package dev.felix.server.config;

import dev.felix.broker.BackPressurePolicy;
import dev.felix.broker.BatchingConfig;
import dev.felix.broker.BrokerConfig;
import dev.felix.broker.CacheStorage;
import dev.felix.broker.CacheWatchConfig;
import dev.felix.broker.CachesConfig;
import dev.felix.broker.QueueConfig;
import dev.felix.broker.StreamConfig;
import dev.felix.broker.StreamStorage;
import dev.felix.server.session.SessionLimits;
import dev.felix.storage.cache.CacheStoreConfig;
import dev.felix.storage.durable.DurableLogConfig;
import dev.felix.storage.durable.FsyncPolicy;
import dev.felix.storage.log.MemoryLogConfig;
import dev.felix.transport.TransportConfig;
import dev.felix.wire.WireLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * Maps settings onto the configuration objects of the transport, the broker and the sessions. Each
 * component validates its own object again; errors from there are rewrapped so that the message
 * still names the setting.
 */
final class ComponentSettings {
  private ComponentSettings() {}

  static WireLimits wireLimits(SettingsSource source) {
    int maxFrame =
        (int)
            ValueParsers.longInRange(
                Settings.WIRE_MAX_FRAME_BYTES,
                source.raw(Settings.WIRE_MAX_FRAME_BYTES),
                64 * 1024,
                WireLimits.ABSOLUTE_MAX_FRAME_PAYLOAD_BYTES);
    WireLimits defaults = WireLimits.DEFAULTS;
    return new WireLimits(
        maxFrame,
        defaults.maxRecordsPerBatch(),
        defaults.maxKeyBytes(),
        defaults.maxHeadersPerRecord(),
        defaults.maxTokenBytes(),
        defaults.maxBatchEntries());
  }

  static TransportConfig transport(SettingsSource source, WireLimits wire) {
    int udpBuffer =
        (int) number(source, Settings.QUIC_UDP_BUFFER_BYTES, 64 * 1024, 64L * 1024 * 1024);
    long streams = number(source, Settings.QUIC_MAX_STREAMS, 1, 1_000_000);
    int eventLoops = (int) number(source, Settings.QUIC_EVENT_LOOPS, 0, 256);
    return TransportConfig.defaults().toBuilder()
        .maxIdleTimeoutMs(number(source, Settings.QUIC_IDLE_TIMEOUT_MS, 1_000, 3_600_000))
        .initialMaxDataBytes(number(source, Settings.QUIC_MAX_DATA_BYTES, 64 * 1024, 1L << 32))
        .initialMaxStreamDataBytes(
            number(source, Settings.QUIC_MAX_STREAM_DATA_BYTES, 64 * 1024, 1L << 32))
        .maxBidiStreams(streams)
        .maxUniStreams(streams)
        .socketReceiveBufferBytes(udpBuffer)
        .socketSendBufferBytes(udpBuffer)
        .maxUdpPayloadBytes((int) number(source, Settings.QUIC_MAX_UDP_PAYLOAD_BYTES, 1200, 65_527))
        .loopbackUdpPayloadBytes(
            (int)
                number(
                    source,
                    Settings.QUIC_LOOPBACK_UDP_PAYLOAD_BYTES,
                    1200,
                    TransportConfig.MAX_LOOPBACK_UDP_PAYLOAD_BYTES))
        .eventLoopThreads(eventLoops == 0 ? Runtime.getRuntime().availableProcessors() : eventLoops)
        .wireLimits(wire)
        .build();
  }

  static BrokerConfig broker(SettingsSource source, WireLimits wire, Path dataDir) {
    MemoryLogConfig log =
        new MemoryLogConfig(
            number(source, Settings.STREAM_MAX_BYTES, 1024 * 1024, 1L << 40),
            number(source, Settings.STREAM_MAX_RECORDS, 1, 1L << 40),
            MemoryLogConfig.DEFAULT_CHUNK_BYTES);
    BatchingConfig batching =
        new BatchingConfig(
            (int) number(source, Settings.STREAM_BATCH_MAX_RECORDS, 1, wire.maxRecordsPerBatch()),
            (int)
                number(
                    source, Settings.STREAM_BATCH_MAX_BYTES, 1024, wire.maxFramePayloadBytes() / 2),
            Duration.ofNanos(
                1_000 * number(source, Settings.STREAM_BATCH_MAX_DELAY_US, 0, 1_000_000)));
    String policy =
        ValueParsers.oneOf(
            Settings.STREAM_BACKPRESSURE,
            source.raw(Settings.STREAM_BACKPRESSURE),
            Set.of("block", "drop_oldest", "drop_newest", "disconnect"));
    StreamConfig stream =
        new StreamConfig(
            (int) number(source, Settings.STREAM_SHARDS, 1, StreamConfig.MAX_SHARDS),
            log,
            BackPressurePolicy.valueOf(policy.toUpperCase(Locale.ROOT)),
            (int) number(source, Settings.STREAM_SEND_QUEUE_BYTES, 64 * 1024, 1L << 30),
            batching,
            storage(source));
    try {
      CacheStoreConfig cache =
          new CacheStoreConfig(
              number(source, Settings.CACHE_MAX_BYTES, 64 * 1024, 1L << 40),
              number(
                  source, Settings.CACHE_DEFAULT_TTL_MS, 0, CacheStoreConfig.ABSOLUTE_MAX_TTL_MS),
              number(source, Settings.CACHE_MAX_TTL_MS, 0, CacheStoreConfig.ABSOLUTE_MAX_TTL_MS),
              (int) number(source, Settings.CACHE_MAX_VALUE_BYTES, 0, wire.maxFramePayloadBytes()));
      CachesConfig caches =
          new CachesConfig(
              bool(source, Settings.CACHES_AUTO_CREATE),
              (int) number(source, Settings.CACHES_MAX, 1, 1_000_000),
              number(source, Settings.CACHES_MAX_BYTES, 64 * 1024, 1L << 40),
              cache,
              cacheStorage(source));
      return BrokerConfig.builder()
          .autoCreateStreams(bool(source, Settings.STREAMS_AUTO_CREATE))
          .maxStreams((int) number(source, Settings.STREAMS_MAX, 1, 1_000_000))
          .streamsMemoryMaxBytes(number(source, Settings.STREAMS_MEMORY_MAX_BYTES, 0, 1L << 50))
          .maxRecordBytes(
              (int) number(source, Settings.RECORD_MAX_BYTES, 1024, wire.maxFramePayloadBytes()))
          .wireLimits(wire)
          .defaultStream(stream)
          .caches(caches)
          .cacheWatches(
              new CacheWatchConfig(
                  (int) number(source, Settings.CACHE_WATCHES_MAX, 1, 1_000_000),
                  (int) number(source, Settings.CACHE_WATCHES_PER_CONNECTION, 1, 10_000),
                  (int) number(source, Settings.CACHE_WATCH_BUFFER_CHANGES, 1, 10_000_000)))
          .dataDir(dataDir)
          .storageThreads((int) number(source, Settings.STORAGE_THREADS, 1, 64))
          .queues(queues(source))
          .maxCursors((int) number(source, Settings.CURSORS_MAX, 1, 1_000_000))
          .build();
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("broker settings do not fit together: " + e.getMessage(), e);
    }
  }

  /** Consumer-group settings; QueueConfig checks that they fit together. */
  static QueueConfig queues(SettingsSource source) {
    String suffix = source.raw(Settings.QUEUES_DEAD_LETTER_SUFFIX);
    return new QueueConfig(
        (int) number(source, Settings.QUEUES_VISIBILITY_TIMEOUT_MS, 1, 86_400_000),
        (int) number(source, Settings.QUEUES_MAX_DELIVERIES, 1, 1_000),
        (int) number(source, Settings.QUEUES_MAX_UNACKED_PER_SHARD, 1, 1_000_000),
        (int) number(source, Settings.QUEUES_DEFAULT_MAX_IN_FLIGHT, 1, 1_000_000),
        (int) number(source, Settings.QUEUES_MAX_IN_FLIGHT, 1, 1_000_000),
        (int) number(source, Settings.QUEUES_MAX_GROUPS, 1, 1_000_000),
        (int) number(source, Settings.QUEUES_POSITION_FLUSH_MS, 1, 600_000),
        suffix == null ? QueueConfig.DEFAULT_DEAD_LETTER_SUFFIX : suffix.trim());
  }

  /** Memory or durable (with fsync policy, segments and retention) for auto-created streams. */
  static StreamStorage storage(SettingsSource source) {
    String kind =
        ValueParsers.oneOf(
            Settings.STREAM_STORAGE,
            source.raw(Settings.STREAM_STORAGE),
            Set.of("memory", "durable"));
    String fsync =
        ValueParsers.oneOf(
            Settings.STREAM_FSYNC,
            source.raw(Settings.STREAM_FSYNC),
            Set.of("always", "interval", "never"));
    DurableLogConfig log =
        DurableLogConfig.DEFAULTS
            .withFsyncPolicy(FsyncPolicy.valueOf(fsync.toUpperCase(Locale.ROOT)))
            .withFsyncIntervalMs(number(source, Settings.STREAM_FSYNC_INTERVAL_MS, 1, 600_000))
            .withSegmentBytes(
                number(
                    source,
                    Settings.STREAM_SEGMENT_BYTES,
                    1024 * 1024,
                    DurableLogConfig.MAX_SEGMENT_BYTES))
            .withRetentionMs(retention(source, Settings.STREAM_RETENTION_MS))
            .withRetentionBytes(retention(source, Settings.STREAM_RETENTION_BYTES));
    return kind.equals("durable") ? StreamStorage.durable(log) : StreamStorage.MEMORY;
  }

  /** Storage of auto-created caches; durable ones use the stream fsync interval. */
  static CacheStorage cacheStorage(SettingsSource source) {
    String kind =
        ValueParsers.oneOf(
            Settings.CACHE_STORAGE,
            source.raw(Settings.CACHE_STORAGE),
            Set.of("memory", "durable"));
    String fsync =
        ValueParsers.oneOf(
            Settings.CACHE_FSYNC,
            source.raw(Settings.CACHE_FSYNC),
            Set.of("always", "interval", "never"));
    return new CacheStorage(
        kind.equals("durable"),
        FsyncPolicy.valueOf(fsync.toUpperCase(Locale.ROOT)),
        number(source, Settings.STREAM_FSYNC_INTERVAL_MS, 1, 600_000));
  }

  /** 0 in the settings means "keep forever" (the log's UNLIMITED). */
  private static long retention(SettingsSource source, Setting setting) {
    long value = number(source, setting, 0, Long.MAX_VALUE / 2);
    return value == 0 ? DurableLogConfig.UNLIMITED : value;
  }

  static SessionLimits session(SettingsSource source, TransportConfig transport) {
    return new SessionLimits(
        (int)
            number(
                source,
                Settings.CONNECTION_MAX_INFLIGHT_PUBLISH_BYTES,
                64 * 1024,
                Integer.MAX_VALUE),
        (int) number(source, Settings.CONNECTION_MAX_SUBSCRIPTIONS, 1, 1_000_000),
        (int) transport.maxIdleTimeoutMs());
  }

  private static long number(SettingsSource source, Setting setting, long min, long max) {
    return ValueParsers.longInRange(setting, source.raw(setting), min, max);
  }

  private static boolean bool(SettingsSource source, Setting setting) {
    return ValueParsers.oneOf(setting, source.raw(setting), Set.of("true", "false")).equals("true");
  }
}
