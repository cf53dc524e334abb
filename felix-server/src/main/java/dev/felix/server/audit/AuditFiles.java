package dev.felix.server.audit;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The audit directory: JSON-lines files {@code audit-<sequence>.jsonl}, the highest sequence being
 * the one appended to. A file grows to at most {@code maxFileBytes} (a single larger line gets a
 * file of its own), then the next sequence starts and the oldest files beyond {@code maxFiles} are
 * deleted, so the log's disk use stays bounded. Lines are only ever appended.
 *
 * <p>Owned by the audit writer thread; not thread-safe.
 */
final class AuditFiles implements AutoCloseable {
  private static final Pattern NAME = Pattern.compile("audit-(\\d{10})\\.jsonl");

  private final Path dir;
  private final long maxFileBytes;
  private final int maxFiles;
  private long sequence;
  private long size;
  private OutputStream out;

  AuditFiles(Path dir, long maxFileBytes, int maxFiles) throws IOException {
    if (maxFileBytes < 1 || maxFiles < 1) {
      throw new IllegalArgumentException("audit files need a positive size bound and count");
    }
    this.dir = dir;
    this.maxFileBytes = maxFileBytes;
    this.maxFiles = maxFiles;
    Files.createDirectories(dir);
    List<Path> existing = list(dir);
    sequence = existing.isEmpty() ? 1 : sequenceOf(existing.get(existing.size() - 1));
    open();
  }

  /** Appends one line (a newline is added), rotating first when it would not fit. */
  void append(String line) throws IOException {
    byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
    if (size > 0 && size + bytes.length > maxFileBytes) {
      rotate();
    }
    out.write(bytes);
    size += bytes.length;
  }

  /** Hands buffered lines to the operating system. */
  void flush() throws IOException {
    out.flush();
  }

  /** The audit files, oldest first. */
  static List<Path> list(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> matching = new ArrayList<>();
      files
          .filter(file -> NAME.matcher(file.getFileName().toString()).matches())
          .sorted()
          .forEach(matching::add);
      return matching;
    }
  }

  private void rotate() throws IOException {
    out.close();
    sequence++;
    open();
    List<Path> files = list(dir);
    for (int i = 0; i < files.size() - maxFiles; i++) {
      Files.deleteIfExists(files.get(i));
    }
  }

  private void open() throws IOException {
    Path file = dir.resolve(String.format("audit-%010d.jsonl", sequence));
    size = Files.exists(file) ? Files.size(file) : 0;
    out =
        new BufferedOutputStream(
            Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND),
            64 * 1024);
  }

  private static long sequenceOf(Path file) {
    Matcher matcher = NAME.matcher(file.getFileName().toString());
    if (!matcher.matches()) {
      throw new IllegalStateException("not an audit file: " + file);
    }
    return Long.parseLong(matcher.group(1));
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
