package dev.felix.server.metadata;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.felix.error.ErrorCode;
import dev.felix.error.StorageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single-node {@link MetadataStore}: the whole snapshot as one JSON file, {@code
 * <dataDir>/metadata/metadata.json}, rewritten on every change. Each write goes to {@code
 * metadata.json.tmp}, is forced, atomically renamed over the old file, and the directory is forced
 * too, so after a crash the file is either the old or the new snapshot, never a mix.
 *
 * <p>Why not a journal: metadata changes are rare (operator actions) and the snapshot is small
 * (kilobytes for hundreds of resources), so rewriting it costs less than the code a journal's
 * replay and compaction would need. The replicated store will bring its own log.
 *
 * <p>Threading: {@link #apply} is serialized by this object's lock; {@link #current()} is a
 * volatile read and never waits for it.
 */
public final class EmbeddedMetadataStore implements MetadataStore {
  public static final String FILE = "metadata.json";
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMetadataStore.class);

  private final Path dir;
  private final Path file;
  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private volatile MetadataSnapshot current;

  private EmbeddedMetadataStore(Path dir) {
    this.dir = dir;
    this.file = dir.resolve(FILE);
  }

  /** The store's directory under a data directory. */
  public static Path directory(Path dataDir) {
    return dataDir.resolve("metadata");
  }

  /**
   * Opens the store in {@code dir}, reading the last snapshot (empty when there is none).
   *
   * @throws StorageException when the file exists but cannot be read or parsed: starting with empty
   *     metadata would silently drop tenants, caches and policies
   */
  public static EmbeddedMetadataStore open(Path dir) {
    EmbeddedMetadataStore store = new EmbeddedMetadataStore(dir);
    try {
      Files.createDirectories(dir);
      // A leftover temporary file is a write that never reached its rename: not part of the state.
      Files.deleteIfExists(dir.resolve(FILE + ".tmp"));
      store.current =
          Files.exists(store.file)
              ? store.json.readValue(store.file.toFile(), MetadataSnapshot.class)
              : MetadataSnapshot.EMPTY;
    } catch (IOException e) {
      throw new StorageException(
          ErrorCode.STORAGE_ERROR,
          "metadata file " + store.file + " is unreadable: " + e.getMessage(),
          e);
    }
    LOG.info(
        "metadata store {}: version {}, {} tenants, {} namespaces, {} caches, {} policies",
        store.file,
        store.current.version(),
        store.current.tenants().size(),
        store.current.namespaces().size(),
        store.current.caches().size(),
        store.current.policies().size());
    return store;
  }

  @Override
  public MetadataSnapshot current() {
    return current;
  }

  @Override
  public synchronized MetadataSnapshot apply(MetadataChange change) {
    Objects.requireNonNull(change, "change");
    MetadataSnapshot changed = change.applyTo(current);
    MetadataSnapshot next =
        new MetadataSnapshot(
            current.version() + 1,
            changed.tenants(),
            changed.namespaces(),
            changed.streams(),
            changed.caches(),
            changed.policies(),
            changed.groups());
    write(next);
    current = next;
    return next;
  }

  private void write(MetadataSnapshot snapshot) {
    Path temp = dir.resolve(FILE + ".tmp");
    try {
      Files.write(temp, json.writeValueAsBytes(snapshot));
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      forceDirectory();
    } catch (IOException e) {
      throw new StorageException(
          ErrorCode.STORAGE_ERROR, "could not write metadata to " + file + ": " + e, e);
    }
  }

  /** Makes the rename durable; some platforms (Windows) cannot open a directory, which is fine. */
  private void forceDirectory() {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      LOG.debug("cannot force directory {}: {}", dir, e.toString());
    }
  }

  /** Nothing is buffered: every change was written when {@link #apply} returned. */
  @Override
  public void close() {}
}
