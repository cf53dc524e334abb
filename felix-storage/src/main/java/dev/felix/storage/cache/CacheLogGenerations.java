package dev.felix.storage.cache;

import dev.felix.error.ErrorCode;
import dev.felix.error.StorageException;
import dev.felix.storage.durable.FileTrees;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The generation directories of one cache log: {@code gen-0000000000000001/} holds a complete
 * {@link dev.felix.storage.durable.DurableLog}; compaction writes the next generation into {@code
 * gen-N.compacting/} and renames it to {@code gen-N/} only once it is complete and forced.
 *
 * <p>Recovery rule: the highest complete generation is the log; {@code .compacting} directories and
 * lower generations are leftovers of a compaction that crashed before or after its rename, and are
 * deleted. So a crash at any point leaves either the old or the new complete state.
 */
final class CacheLogGenerations {
  private static final String PREFIX = "gen-";
  static final String COMPACTING = ".compacting";

  private CacheLogGenerations() {}

  static Path dir(Path cacheDir, long generation) {
    return cacheDir.resolve(String.format(Locale.ROOT, PREFIX + "%016d", generation));
  }

  static Path compactingDir(Path cacheDir, long generation) {
    return cacheDir.resolve(dir(cacheDir, generation).getFileName() + COMPACTING);
  }

  /**
   * Deletes leftovers and returns the current generation (1 for a new cache, with its directory not
   * yet created).
   */
  static long recover(Path cacheDir) throws IOException {
    Files.createDirectories(cacheDir);
    long current = 0;
    List<Long> complete = new ArrayList<>();
    try (Stream<Path> children = Files.list(cacheDir)) {
      for (Path child : children.toList()) {
        String name = child.getFileName().toString();
        if (!name.startsWith(PREFIX) || !Files.isDirectory(child)) {
          continue;
        }
        if (name.endsWith(COMPACTING)) {
          deleteTree(child);
          continue;
        }
        long generation = parse(name.substring(PREFIX.length()), child);
        complete.add(generation);
        current = Math.max(current, generation);
      }
    }
    for (long generation : complete) {
      if (generation != current) {
        deleteTree(dir(cacheDir, generation));
      }
    }
    return Math.max(1, current);
  }

  /** Makes {@code compacting} the generation {@code target}: one atomic rename, then forced. */
  static void publish(Path compacting, Path target) throws IOException {
    try {
      Files.move(compacting, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new StorageException(
          ErrorCode.STORAGE_ERROR,
          "the file system of " + target + " cannot rename atomically; cache compaction needs it",
          e);
    }
    forceDirectory(target.getParent());
  }

  /** Removes a directory tree; returns the bytes of the files removed. */
  static long deleteTree(Path dir) throws IOException {
    return FileTrees.delete(dir);
  }

  private static long parse(String digits, Path where) {
    try {
      long generation = Long.parseLong(digits);
      if (generation < 1) {
        throw new NumberFormatException("below 1");
      }
      return generation;
    } catch (NumberFormatException e) {
      throw new StorageException(
          ErrorCode.STORAGE_ERROR, "unexpected cache log directory " + where, e);
    }
  }

  private static void forceDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Some file systems cannot open directories; the rename itself is still atomic there.
    }
  }
}
