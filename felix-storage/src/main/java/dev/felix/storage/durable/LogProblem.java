package dev.felix.storage.durable;

import java.nio.file.Path;

/**
 * One finding of {@link LogInspector#verify}.
 *
 * @param file the file at fault
 * @param position byte position in it, or -1 when the problem is the whole file
 * @param kind what is wrong
 * @param detail a sentence for people
 */
public record LogProblem(Path file, long position, Kind kind, String detail) {
  /** Categories of findings. */
  public enum Kind {
    /** A batch is torn, fails its CRC or does not match its header; nothing after it is read. */
    CORRUPT_BATCH,
    /** A segment's records do not reach the next segment's base offset. */
    OFFSET_GAP,
    /** An index file is missing. */
    INDEX_MISSING,
    /** An index file is malformed (header, size, order). */
    INDEX_INVALID,
    /** The index files are well-formed but disagree with the segment. */
    INDEX_MISMATCH,
    /** Index files without a segment. */
    ORPHAN_INDEX
  }
}
