package dev.felix.broker.storage;

import dev.felix.broker.CacheStorage;
import dev.felix.error.ErrorCode;
import dev.felix.error.StorageException;
import dev.felix.storage.cache.CacheStoreConfig;
import dev.felix.storage.durable.FileTrees;
import dev.felix.storage.durable.FsyncPolicy;
import dev.felix.wire.Names;
import dev.felix.wire.message.CacheRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The durable caches under {@code <dataDir>/caches}: one directory per cache, {@code
 * tenant/namespace/cache/}, holding {@value #DEFINITION} (its settings) and {@code log/} (its
 * {@link dev.felix.storage.cache.CacheLog}). Names are safe path segments by construction ({@link
 * Names}).
 *
 * <p>As for durable streams, the definition is what lets a restarted broker reopen the cache with
 * its settings: written to a temporary file, forced, and atomically renamed, so a crash leaves no
 * definition or a whole one. A cache directory without a definition is skipped, never guessed at.
 */
public final class CacheFiles {
  public static final String DEFINITION = "cache.properties";
  private static final int FORMAT = 1;

  private final Path root;

  public CacheFiles(Path dataDir) {
    this.root = dataDir.resolve("caches");
  }

  public Path cacheDir(CacheRef ref) {
    return root.resolve(ref.tenant()).resolve(ref.namespace()).resolve(ref.cache());
  }

  public Path logDir(CacheRef ref) {
    return cacheDir(ref).resolve("log");
  }

  /** A durable cache found on disk. */
  public record Found(CacheRef ref, CacheStoreConfig settings, CacheStorage storage) {}

  /** Writes (or replaces) the cache's definition; forced to disk before returning. */
  public void writeDefinition(CacheRef ref, CacheStoreConfig settings, CacheStorage storage) {
    Path dir = cacheDir(ref);
    Path target = dir.resolve(DEFINITION);
    Path temp = dir.resolve(DEFINITION + ".tmp");
    try {
      Files.createDirectories(dir);
      try (OutputStream out = Files.newOutputStream(temp)) {
        toProperties(settings, storage).store(out, "Felix durable cache " + ref);
      }
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      try {
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new StorageException(
          ErrorCode.STORAGE_ERROR, "cannot write the definition of cache " + ref + ": " + e, e);
    }
  }

  /**
   * Every durable cache with a definition, in a stable order.
   *
   * @throws StorageException when a definition cannot be read or is invalid
   */
  public List<Found> findAll() {
    List<Found> found = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return found;
    }
    try (Stream<Path> definitions =
        Files.find(
            root,
            4,
            (path, attrs) ->
                path.getFileName() != null
                    && path.getFileName().toString().equals(DEFINITION)
                    && path.getNameCount() == root.getNameCount() + 4)) {
      for (Path definition : definitions.sorted().toList()) {
        Path cacheDir = definition.getParent();
        Path namespaceDir = cacheDir.getParent();
        CacheRef ref =
            new CacheRef(
                namespaceDir.getParent().getFileName().toString(),
                namespaceDir.getFileName().toString(),
                cacheDir.getFileName().toString());
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(definition)) {
          p.load(in);
        }
        found.add(fromProperties(ref, p, definition.toString()));
      }
    } catch (IOException e) {
      throw new StorageException(
          ErrorCode.STORAGE_ERROR, "cannot list durable caches in " + root + ": " + e, e);
    }
    return found;
  }

  /** Removes the cache's directory and everything in it; returns the bytes removed. */
  public long delete(CacheRef ref) {
    try {
      return FileTrees.delete(cacheDir(ref));
    } catch (IOException e) {
      throw new StorageException(
          ErrorCode.STORAGE_ERROR, "cannot delete the files of cache " + ref + ": " + e, e);
    }
  }

  static Properties toProperties(CacheStoreConfig settings, CacheStorage storage) {
    Properties p = new Properties();
    p.setProperty("format", Integer.toString(FORMAT));
    p.setProperty("max_bytes", Long.toString(settings.maxBytes()));
    p.setProperty("default_ttl_ms", Long.toString(settings.defaultTtlMs()));
    p.setProperty("max_ttl_ms", Long.toString(settings.maxTtlMs()));
    p.setProperty("max_value_bytes", Integer.toString(settings.maxValueBytes()));
    p.setProperty("fsync", storage.fsyncName());
    p.setProperty("fsync_interval_ms", Long.toString(storage.fsyncIntervalMs()));
    return p;
  }

  static Found fromProperties(CacheRef ref, Properties p, String where) {
    try {
      if (!Integer.toString(FORMAT).equals(p.getProperty("format"))) {
        throw new IllegalArgumentException("unknown format " + p.getProperty("format"));
      }
      CacheStoreConfig settings =
          new CacheStoreConfig(
              Long.parseLong(required(p, "max_bytes")),
              Long.parseLong(required(p, "default_ttl_ms")),
              Long.parseLong(required(p, "max_ttl_ms")),
              Integer.parseInt(required(p, "max_value_bytes")));
      CacheStorage storage =
          new CacheStorage(
              true,
              FsyncPolicy.valueOf(required(p, "fsync").toUpperCase(Locale.ROOT)),
              Long.parseLong(required(p, "fsync_interval_ms")));
      return new Found(ref, settings, storage);
    } catch (RuntimeException e) {
      throw new StorageException(
          ErrorCode.STORAGE_ERROR, "invalid cache definition " + where + ": " + e.getMessage(), e);
    }
  }

  private static String required(Properties p, String key) {
    String value = p.getProperty(key);
    if (value == null) {
      throw new IllegalArgumentException("missing " + key);
    }
    return value.trim();
  }
}
