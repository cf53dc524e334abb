package dev.felix.storage.durable;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Removing a directory of durable files (a stream's, a cache's, an old log generation). */
public final class FileTrees {
  private FileTrees() {}

  /**
   * Deletes {@code dir} and everything below it, files first, then each directory once empty.
   *
   * @return the bytes of the files removed (0 when {@code dir} does not exist)
   * @throws IOException the first file or directory that could not be removed; what was removed
   *     before it stays removed
   */
  public static long delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    long[] bytes = new long[1];
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            bytes[0] += attrs.size();
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            Files.delete(d);
            return FileVisitResult.CONTINUE;
          }
        });
    return bytes[0];
  }
}
