package dev.felix.server.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the audit log back (for {@code felix admin audit}): the JSON lines of every kept file,
 * oldest first, filtered by time. Streams line by line, holding at most {@code limit} lines.
 * Stateless.
 */
public final class AuditReader {
  /** {@link AuditEvent#toJson()} writes {@code time} first. */
  private static final Pattern TIME = Pattern.compile("^\\{\"time\":\"([^\"]+)\"");

  private AuditReader() {}

  /**
   * The newest {@code limit} entries at or after {@code since}, oldest first.
   *
   * @param dir the audit directory ({@link AuditLog#directory})
   * @param since null for no lower bound
   * @param limit at least 1
   */
  public static List<String> read(Path dir, Instant since, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
    Deque<String> newest = new ArrayDeque<>();
    try {
      for (Path file : AuditFiles.list(dir)) {
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
          lines
              .filter(line -> !line.isBlank() && isAtOrAfter(line, since))
              .forEach(
                  line -> {
                    newest.addLast(line);
                    if (newest.size() > limit) {
                      newest.removeFirst();
                    }
                  });
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the audit log in " + dir, e);
    }
    return new ArrayList<>(newest);
  }

  /** The time of a line, or null when it has none (a line not written by this version). */
  static Instant timeOf(String line) {
    Matcher matcher = TIME.matcher(line);
    if (!matcher.find()) {
      return null;
    }
    try {
      return Instant.parse(matcher.group(1));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static boolean isAtOrAfter(String line, Instant since) {
    if (since == null) {
      return true;
    }
    Instant time = timeOf(line);
    return time != null && !time.isBefore(since);
  }
}
