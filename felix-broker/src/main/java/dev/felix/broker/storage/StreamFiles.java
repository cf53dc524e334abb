package dev.felix.broker.storage;

import dev.felix.broker.BackPressurePolicy;
import dev.felix.broker.BatchingConfig;
import dev.felix.broker.StreamConfig;
import dev.felix.broker.StreamStorage;
import dev.felix.error.ErrorCode;
import dev.felix.error.StorageException;
import dev.felix.storage.durable.DurableLogConfig;
import dev.felix.storage.durable.FileTrees;
import dev.felix.storage.durable.FsyncPolicy;
import dev.felix.storage.log.MemoryLogConfig;
import dev.felix.wire.Names;
import dev.felix.wire.message.StreamRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The durable streams under {@code <dataDir>/streams}: one directory per stream, {@code
 * tenant/namespace/stream/}, holding {@value #DEFINITION} (its settings, written once at creation)
 * and one log directory per shard, {@code shard-0000/}. Names are safe path segments by
 * construction ({@link Names}: {@code [A-Za-z0-9._-]}, never {@code .} or {@code ..}).
 *
 * <p>The definition is what lets a restarted broker reopen its durable streams with the settings
 * they were created with. It is written to a temporary file, forced, and atomically renamed, so a
 * crash leaves either no definition or a whole one; a stream directory without a definition is
 * reported and skipped, never guessed at.
 */
public final class StreamFiles {
  public static final String DEFINITION = "stream.properties";
  private static final int FORMAT = 1;

  private final Path root;

  public StreamFiles(Path dataDir) {
    this.root = dataDir.resolve("streams");
  }

  public Path root() {
    return root;
  }

  public Path streamDir(StreamRef ref) {
    return root.resolve(ref.tenant()).resolve(ref.namespace()).resolve(ref.stream());
  }

  public Path shardDir(StreamRef ref, int shard) {
    return streamDir(ref).resolve(String.format(Locale.ROOT, "shard-%04d", shard));
  }

  /** Writes the stream's definition (creating its directory); forced to disk before returning. */
  public void writeDefinition(StreamRef ref, StreamConfig config) {
    Path dir = streamDir(ref);
    Path target = dir.resolve(DEFINITION);
    Path temp = dir.resolve(DEFINITION + ".tmp");
    try {
      Files.createDirectories(dir);
      try (OutputStream out = Files.newOutputStream(temp)) {
        toProperties(config).store(out, "Felix stream " + ref + " (written at creation)");
      }
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      forceDirectory(dir);
    } catch (IOException e) {
      throw new StorageException(
          ErrorCode.STORAGE_ERROR, "cannot write the definition of stream " + ref + ": " + e, e);
    }
  }

  /** A durable stream found on disk. */
  public record Found(StreamRef ref, StreamConfig config) {}

  /**
   * Every durable stream with a definition, in a stable order.
   *
   * @throws StorageException when a definition cannot be read or is invalid (a refusal to start is
   *     better than reopening a stream with guessed settings)
   */
  public List<Found> findAll() {
    List<Found> found = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return found;
    }
    try (Stream<Path> definitions = Files.find(root, 4, (path, attrs) -> isDefinition(path))) {
      for (Path definition : definitions.sorted().toList()) {
        Path streamDir = definition.getParent();
        Path namespaceDir = streamDir.getParent();
        StreamRef ref =
            new StreamRef(
                namespaceDir.getParent().getFileName().toString(),
                namespaceDir.getFileName().toString(),
                streamDir.getFileName().toString());
        found.add(new Found(ref, readDefinition(definition)));
      }
    } catch (IOException e) {
      throw new StorageException(
          ErrorCode.STORAGE_ERROR, "cannot list durable streams in " + root + ": " + e, e);
    }
    return found;
  }

  /** Removes the stream's directory and everything in it; returns the bytes removed. */
  public long delete(StreamRef ref) {
    try {
      return FileTrees.delete(streamDir(ref));
    } catch (IOException e) {
      throw new StorageException(
          ErrorCode.STORAGE_ERROR, "cannot delete the files of stream " + ref + ": " + e, e);
    }
  }

  private static boolean isDefinition(Path path) {
    return path.getFileName() != null && path.getFileName().toString().equals(DEFINITION);
  }

  private static void forceDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Some file systems cannot open directories; the rename is still atomic there.
    }
  }

  static Properties toProperties(StreamConfig config) {
    DurableLogConfig log = config.storage().log();
    Properties p = new Properties();
    p.setProperty("format", Integer.toString(FORMAT));
    p.setProperty("shards", Integer.toString(config.shards()));
    p.setProperty("backpressure", config.policy().configName());
    p.setProperty("send_queue_bytes", Integer.toString(config.sendQueueBytes()));
    p.setProperty("batch_max_records", Integer.toString(config.batching().maxRecords()));
    p.setProperty("batch_max_bytes", Integer.toString(config.batching().maxBytes()));
    p.setProperty("batch_max_delay_ns", Long.toString(config.batching().maxDelayNanos()));
    p.setProperty("fsync", log.fsyncPolicy().name().toLowerCase(Locale.ROOT));
    p.setProperty("fsync_interval_ms", Long.toString(log.fsyncIntervalMs()));
    p.setProperty("segment_bytes", Long.toString(log.segmentBytes()));
    p.setProperty("segment_max_age_ms", Long.toString(log.segmentMaxAgeMs()));
    p.setProperty("index_interval_bytes", Integer.toString(log.indexIntervalBytes()));
    p.setProperty("retention_ms", Long.toString(log.retentionMs()));
    p.setProperty("retention_bytes", Long.toString(log.retentionBytes()));
    return p;
  }

  static StreamConfig fromProperties(Properties p, String where) {
    try {
      if (!Integer.toString(FORMAT).equals(p.getProperty("format"))) {
        throw new IllegalArgumentException("unknown format " + p.getProperty("format"));
      }
      DurableLogConfig log =
          DurableLogConfig.DEFAULTS
              .withFsyncPolicy(FsyncPolicy.valueOf(required(p, "fsync").toUpperCase(Locale.ROOT)))
              .withFsyncIntervalMs(Long.parseLong(required(p, "fsync_interval_ms")))
              .withSegmentBytes(Long.parseLong(required(p, "segment_bytes")))
              .withSegmentMaxAgeMs(Long.parseLong(required(p, "segment_max_age_ms")))
              .withIndexIntervalBytes(Integer.parseInt(required(p, "index_interval_bytes")))
              .withRetentionMs(Long.parseLong(required(p, "retention_ms")))
              .withRetentionBytes(Long.parseLong(required(p, "retention_bytes")));
      BatchingConfig batching =
          new BatchingConfig(
              Integer.parseInt(required(p, "batch_max_records")),
              Integer.parseInt(required(p, "batch_max_bytes")),
              Duration.ofNanos(Long.parseLong(required(p, "batch_max_delay_ns"))));
      return new StreamConfig(
          Integer.parseInt(required(p, "shards")),
          MemoryLogConfig.DEFAULTS,
          BackPressurePolicy.fromConfigName(required(p, "backpressure")),
          Integer.parseInt(required(p, "send_queue_bytes")),
          batching,
          StreamStorage.durable(log));
    } catch (RuntimeException e) {
      throw new StorageException(
          ErrorCode.STORAGE_ERROR, "invalid stream definition " + where + ": " + e.getMessage(), e);
    }
  }

  private static StreamConfig readDefinition(Path file) throws IOException {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    }
    return fromProperties(p, file.toString());
  }

  private static String required(Properties p, String key) {
    String value = p.getProperty(key);
    if (value == null) {
      throw new IllegalArgumentException("missing " + key);
    }
    return value.trim();
  }
}
