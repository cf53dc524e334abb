package dev.felix.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The data directory of a broker a bench starts: a fresh temporary directory, deleted with
 * everything in it once the broker is down. A durable bench writes gigabytes of log segments there;
 * left behind, a few runs fill the machine's temporary space.
 */
final class BenchDataDir implements AutoCloseable {
  private final Path path;
  private final PrintWriter err;

  private BenchDataDir(Path path, PrintWriter err) {
    this.path = path;
    this.err = err;
  }

  /** A new, empty directory named {@code prefix...} under the temporary directory. */
  static BenchDataDir create(String prefix, PrintWriter err) throws IOException {
    return new BenchDataDir(Files.createTempDirectory(prefix), err);
  }

  Path path() {
    return path;
  }

  /**
   * Deletes the directory tree, deepest first. Call it after the broker stopped: a file it still
   * writes could appear again. A failure is reported, never thrown: the bench's result stands.
   */
  @Override
  public void close() {
    try (Stream<Path> walk = Files.walk(path)) {
      List<Path> deepestFirst = walk.sorted(Comparator.reverseOrder()).toList();
      for (Path entry : deepestFirst) {
        Files.deleteIfExists(entry);
      }
    } catch (IOException | UncheckedIOException e) {
      err.println("note: could not delete the bench's data directory " + path + ": " + e);
      err.flush();
    }
  }
}
