package dev.felix.storage.durable;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One segment file of a {@link DurableLog} and what the log knows about it: valid size, offsets,
 * in-memory index, and the running maximum timestamp at its end. While a segment is the active
 * (last) one, its two index files are open and each new index entry is written to them as it is
 * made; they are forced when the segment is sealed. Index files are never needed for correctness
 * (recovery rebuilds them), which is why they are not forced on every fsync.
 *
 * <p>Not thread-safe; owned by the log's owner thread. The flusher thread only forces {@link
 * #channel}, which {@link FileChannel} allows concurrently with writes.
 */
final class Segment {
  final long baseOffset;
  final Path logFile;
  final Path offsetIndexFile;
  final Path timeIndexFile;
  final FileChannel channel;

  /** Bytes of valid batches; writes beyond this are not (yet) part of the log. */
  long size;

  long endOffset;
  SegmentIndex index;

  /** Log-wide running maximum timestamp after this segment's last record. */
  long endMaxTimestamp;

  /** Clock time the segment's age is measured from (rolling by age). */
  long createdMs;

  /**
   * False for a sealed segment whose CRCs were not checked yet ({@link SealedSegmentCheck#LAZY}).
   */
  boolean verified;

  /** Set once a lazy check found corruption: every later read of the segment fails with it. */
  String corruption;

  private FileChannel offsetIndexChannel;
  private FileChannel timeIndexChannel;

  /** An index-file write failed: the files are rewritten from memory when the segment is sealed. */
  private boolean indexFilesStale;

  private final ByteBuffer entryBuffer = ByteBuffer.allocate(IndexFiles.TIME_ENTRY_BYTES);

  Segment(Path dir, long baseOffset, FileChannel channel) {
    this.baseOffset = baseOffset;
    this.logFile = SegmentNames.logFile(dir, baseOffset);
    this.offsetIndexFile = SegmentNames.offsetIndexFile(dir, baseOffset);
    this.timeIndexFile = SegmentNames.timeIndexFile(dir, baseOffset);
    this.channel = channel;
    this.endOffset = baseOffset;
    this.index = new SegmentIndex();
  }

  long records() {
    return endOffset - baseOffset;
  }

  /** Bytes of this segment's files on disk (index files counted from their entries). */
  long diskBytes() {
    return size
        + 2L * IndexFiles.HEADER_BYTES
        + (long) index.size() * (IndexFiles.OFFSET_ENTRY_BYTES + IndexFiles.TIME_ENTRY_BYTES);
  }

  /** Opens the index files for appending entries (the segment becomes the active one). */
  void openIndexFiles(FileIo io) throws IOException {
    offsetIndexChannel =
        io.open(offsetIndexFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    timeIndexChannel = io.open(timeIndexFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
  }

  /**
   * Records a batch just written at {@code position}, indexing it when it is due. An index-file
   * failure does not fail the append (the data is safe and the index is re-derivable); it is
   * reported through the return value so the log can count it.
   *
   * @return false when writing the index entry to its files failed
   */
  boolean appended(
      int position, int batchBytes, int records, long batchMaxTimestamp, int intervalBytes) {
    boolean ok = true;
    if (index.wants(position, intervalBytes)) {
      index.add((int) (endOffset - baseOffset), position, endMaxTimestamp);
      ok = writeIndexEntry(index.size() - 1);
    }
    size = position + (long) batchBytes;
    endOffset += records;
    endMaxTimestamp = Math.max(endMaxTimestamp, batchMaxTimestamp);
    return ok;
  }

  private boolean writeIndexEntry(int entry) {
    if (indexFilesStale || offsetIndexChannel == null) {
      return true;
    }
    try {
      entryBuffer.clear();
      index.putOffsetEntry(entryBuffer, entry);
      writeFully(
          offsetIndexChannel,
          entryBuffer.flip(),
          IndexFiles.HEADER_BYTES + (long) entry * IndexFiles.OFFSET_ENTRY_BYTES);
      entryBuffer.clear();
      index.putTimeEntry(entryBuffer, entry);
      writeFully(
          timeIndexChannel,
          entryBuffer.flip(),
          IndexFiles.HEADER_BYTES + (long) entry * IndexFiles.TIME_ENTRY_BYTES);
      return true;
    } catch (IOException e) {
      indexFilesStale = true;
      return false;
    }
  }

  /** Replaces both index files with the in-memory index (a rebuild, or after a failed write). */
  void writeIndexFiles(FileIo io) throws IOException {
    writeWhole(io, offsetIndexFile, IndexFiles.encodeOffsetIndex(index, baseOffset));
    writeWhole(io, timeIndexFile, IndexFiles.encodeTimeIndex(index, baseOffset));
    indexFilesStale = false;
  }

  private static void writeWhole(FileIo io, Path file, ByteBuffer content) throws IOException {
    try (FileChannel out =
        io.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      writeFully(out, content, 0);
    }
  }

  /** Seals the active segment: index files complete and forced, then closed. */
  void seal(FileIo io) throws IOException {
    if (indexFilesStale) {
      closeIndexFiles();
      writeIndexFiles(io);
      return;
    }
    if (offsetIndexChannel != null) {
      offsetIndexChannel.force(false);
      timeIndexChannel.force(false);
    }
    closeIndexFiles();
  }

  void closeIndexFiles() throws IOException {
    FileChannel offsets = offsetIndexChannel;
    FileChannel times = timeIndexChannel;
    offsetIndexChannel = null;
    timeIndexChannel = null;
    try {
      if (offsets != null) {
        offsets.close();
      }
    } finally {
      if (times != null) {
        times.close();
      }
    }
  }

  /** Closes every file of the segment; used on log close and before deletion. */
  void close() throws IOException {
    try {
      closeIndexFiles();
    } finally {
      channel.close();
    }
  }

  /** Deletes the segment's files; the log file first, so a crash leaves only orphan indexes. */
  void delete() throws IOException {
    Files.deleteIfExists(logFile);
    close();
    Files.deleteIfExists(offsetIndexFile);
    Files.deleteIfExists(timeIndexFile);
  }

  static void writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      at += channel.write(buffer, at);
    }
  }
}
