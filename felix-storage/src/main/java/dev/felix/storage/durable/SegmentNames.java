package dev.felix.storage.durable;

import java.nio.file.Path;

/**
 * File names of a log directory. A segment and its two indexes are named by the segment's base
 * offset as 20 zero-padded decimal digits (the width of {@link Long#MAX_VALUE}), so a plain sort of
 * the names is offset order: {@code 00000000000000001024.log}, {@code .index}, {@code .timeindex}.
 */
final class SegmentNames {
  static final String LOG_SUFFIX = ".log";
  static final String OFFSET_INDEX_SUFFIX = ".index";
  static final String TIME_INDEX_SUFFIX = ".timeindex";

  /** Held (locked) by the process that has the log open for writing. */
  static final String LOCK_FILE = ".lock";

  private static final int DIGITS = 20;

  private SegmentNames() {}

  static String baseName(long baseOffset) {
    String digits = Long.toString(baseOffset);
    return "0".repeat(DIGITS - digits.length()) + digits;
  }

  static Path logFile(Path dir, long baseOffset) {
    return dir.resolve(baseName(baseOffset) + LOG_SUFFIX);
  }

  static Path offsetIndexFile(Path dir, long baseOffset) {
    return dir.resolve(baseName(baseOffset) + OFFSET_INDEX_SUFFIX);
  }

  static Path timeIndexFile(Path dir, long baseOffset) {
    return dir.resolve(baseName(baseOffset) + TIME_INDEX_SUFFIX);
  }

  /**
   * The base offset named by {@code fileName} with {@code suffix}, or -1 if it is not such a name.
   */
  static long parseBase(String fileName, String suffix) {
    if (fileName.length() != DIGITS + suffix.length() || !fileName.endsWith(suffix)) {
      return -1;
    }
    long value = 0;
    for (int i = 0; i < DIGITS; i++) {
      char c = fileName.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      int digit = c - '0';
      if (value > (Long.MAX_VALUE - digit) / 10) {
        return -1;
      }
      value = value * 10 + digit;
    }
    return value;
  }
}
