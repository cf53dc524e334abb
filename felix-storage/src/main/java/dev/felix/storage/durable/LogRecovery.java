package dev.felix.storage.durable;

import dev.felix.error.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the segments of a log directory and brings them to a consistent state; the rules are in
 * {@code docs/storage-format.md}:
 *
 * <ul>
 *   <li>The active (last) segment is always scanned in full with CRCs; everything from its first
 *       bad batch on (torn write, bad CRC, garbage, zero fill) is truncated and reported.
 *   <li>A sealed segment must be intact: a bad batch, or offsets that do not meet the next
 *       segment's base, fail the open with a {@link StorageException} naming file and position.
 *       Under {@link SealedSegmentCheck#LAZY} only its last index run is checked here, the rest on
 *       first read.
 *   <li>Index files that are missing, malformed or disagree with a scan are rewritten; index files
 *       without a segment are deleted.
 * </ul>
 *
 * <p>Runs on the opening thread before the log exists, so no other thread sees its state.
 */
final class LogRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(LogRecovery.class);

  private final Path dir;
  private final DurableLogConfig config;
  private final FileIo io;
  private final ReadWindow window;
  private final BatchView view = new BatchView();
  private final long nowMs;
  private final List<Segment> segments = new ArrayList<>();
  private final RecoveredProducers producers = new RecoveredProducers();

  private long scannedBytes;
  private long truncatedBytes;
  private long truncatedRecords;
  private String truncationReason = "";
  private int indexesRebuilt;
  private int orphansDeleted;

  LogRecovery(Path dir, DurableLogConfig config, FileIo io, ReadWindow window, long nowMs) {
    this.dir = dir;
    this.config = config;
    this.io = io;
    this.window = window;
    this.nowMs = nowMs;
  }

  /** The recovered segments, oldest first; the last one is active (its index files are open). */
  List<Segment> segments() {
    return segments;
  }

  /** Stamps of the idempotent producers' batches that were read (bounded, see the class). */
  RecoveredProducers producers() {
    return producers;
  }

  RecoveryReport report() {
    return new RecoveryReport(
        segments.size(),
        scannedBytes,
        truncatedBytes,
        truncatedRecords,
        truncationReason,
        indexesRebuilt,
        orphansDeleted);
  }

  /** Opens every segment; on failure closes what it opened and rethrows. */
  void run() throws IOException {
    try {
      List<Long> bases = listSegmentsAndDeleteOrphans();
      if (bases.isEmpty()) {
        segments.add(createSegment(dir, 0, Long.MIN_VALUE, io, nowMs));
        return;
      }
      long carry =
          IndexFiles.storedCarryIn(io, SegmentNames.timeIndexFile(dir, bases.get(0)), bases.get(0));
      for (int i = 0; i < bases.size(); i++) {
        boolean last = i == bases.size() - 1;
        long nextBase = last ? -1 : bases.get(i + 1);
        Segment segment =
            last ? openActive(bases.get(i), carry) : openSealed(bases.get(i), nextBase, carry);
        carry = segment.endMaxTimestamp;
      }
    } catch (IOException | RuntimeException e) {
      for (Segment segment : segments) {
        try {
          segment.close();
        } catch (IOException closeError) {
          e.addSuppressed(closeError);
        }
      }
      throw e;
    }
  }

  /**
   * Creates an empty segment with fresh index files, ready to be the active one; {@code
   * carryInMaxTimestamp} is the running maximum of every earlier record.
   */
  static Segment createSegment(Path dir, long base, long carryInMaxTimestamp, FileIo io, long nowMs)
      throws IOException {
    FileChannel channel =
        io.open(
            SegmentNames.logFile(dir, base),
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE);
    Segment segment = new Segment(dir, base, channel);
    segment.createdMs = nowMs;
    segment.endMaxTimestamp = carryInMaxTimestamp;
    segment.verified = true;
    try {
      segment.writeIndexFiles(io);
      segment.openIndexFiles(io);
    } catch (IOException e) {
      segment.delete();
      throw e;
    }
    return segment;
  }

  private List<Long> listSegmentsAndDeleteOrphans() throws IOException {
    TreeSet<Long> logs = new TreeSet<>();
    List<Path> indexes = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        long base = SegmentNames.parseBase(name, SegmentNames.LOG_SUFFIX);
        if (base >= 0) {
          logs.add(base);
        } else if (SegmentNames.parseBase(name, SegmentNames.OFFSET_INDEX_SUFFIX) >= 0
            || SegmentNames.parseBase(name, SegmentNames.TIME_INDEX_SUFFIX) >= 0) {
          indexes.add(file);
        }
      }
    }
    for (Path index : indexes) {
      String name = index.getFileName().toString();
      long base =
          Math.max(
              SegmentNames.parseBase(name, SegmentNames.OFFSET_INDEX_SUFFIX),
              SegmentNames.parseBase(name, SegmentNames.TIME_INDEX_SUFFIX));
      if (!logs.contains(base)) {
        Files.deleteIfExists(index);
        orphansDeleted++;
      }
    }
    return new ArrayList<>(logs);
  }

  private Segment openActive(long base, long carry) throws IOException {
    FileChannel channel =
        io.open(SegmentNames.logFile(dir, base), StandardOpenOption.READ, StandardOpenOption.WRITE);
    Segment segment = new Segment(dir, base, channel);
    segments.add(segment);
    long fileBytes = channel.size();
    SegmentScanner.Result scan = scan(segment, fileBytes, carry);
    if (!scan.clean()) {
      // Only the tail can be torn: the writer appends in order, so cut at the first bad batch.
      channel.truncate(scan.validBytes());
      channel.force(true);
      truncatedBytes = fileBytes - scan.validBytes();
      truncatedRecords = scan.damagedRecords();
      truncationReason = segment.logFile.getFileName() + ": " + scan.problem();
      LOG.warn(
          "log {}: truncated {} bytes (about {} records) from the active segment: {}",
          dir,
          truncatedBytes,
          truncatedRecords,
          truncationReason);
    }
    adopt(segment, scan, scan.endOffset() - base);
    segment.createdMs =
        scan.firstBatchTimestamp() >= 0 ? Math.min(scan.firstBatchTimestamp(), nowMs) : nowMs;
    segment.openIndexFiles(io);
    return segment;
  }

  private Segment openSealed(long base, long nextBase, long carry) throws IOException {
    FileChannel channel = io.open(SegmentNames.logFile(dir, base), StandardOpenOption.READ);
    Segment segment = new Segment(dir, base, channel);
    segments.add(segment);
    long fileBytes = channel.size();
    if (config.sealedSegmentCheck() == SealedSegmentCheck.LAZY
        && openLazily(segment, fileBytes, nextBase, carry)) {
      return segment;
    }
    SegmentScanner.Result scan = scan(segment, fileBytes, carry);
    if (!scan.clean()) {
      throw StorageErrors.corrupt(segment.logFile, scan.problem());
    }
    requireMeetsNext(segment, scan.endOffset(), nextBase);
    adopt(segment, scan, nextBase - base);
    return segment;
  }

  /**
   * The cheap check of a sealed segment: its index files parse and agree with the carried-in
   * maximum, and the batches after the last index entry reach the end of the file and the next
   * segment's base. False when any of that fails, so the caller falls back to a full scan.
   */
  private boolean openLazily(Segment segment, long fileBytes, long nextBase, long carry)
      throws IOException {
    IndexFiles.Parsed parsed = readIndex(segment, fileBytes, nextBase - segment.baseOffset);
    if (!parsed.ok() || parsed.index().size() == 0 || parsed.index().maxBefore(0) != carry) {
      return false;
    }
    SegmentIndex index = parsed.index();
    int lastEntry = index.size() - 1;
    SegmentScanner.Result tail =
        SegmentScanner.scan(
            segment.channel,
            fileBytes,
            segment.baseOffset,
            index.position(lastEntry),
            segment.baseOffset + index.relativeOffset(lastEntry),
            index.maxBefore(lastEntry),
            config.indexIntervalBytes(),
            true,
            window,
            view,
            producers);
    scannedBytes += fileBytes - index.position(lastEntry);
    if (!tail.clean() || tail.endOffset() != nextBase) {
      return false;
    }
    segment.index = index;
    segment.size = fileBytes;
    segment.endOffset = nextBase;
    segment.endMaxTimestamp = tail.endMaxTimestamp();
    segment.verified = false;
    return true;
  }

  private SegmentScanner.Result scan(Segment segment, long fileBytes, long carry)
      throws IOException {
    scannedBytes += fileBytes;
    return SegmentScanner.scan(
        segment.channel,
        fileBytes,
        segment.baseOffset,
        0,
        segment.baseOffset,
        carry,
        config.indexIntervalBytes(),
        true,
        window,
        view,
        producers);
  }

  private static void requireMeetsNext(Segment segment, long endOffset, long nextBase) {
    if (endOffset != nextBase) {
      throw StorageErrors.corrupt(
          segment.logFile,
          "its records end at offset "
              + endOffset
              + " but the next segment starts at "
              + nextBase
              + " (a segment is missing or was cut)");
    }
  }

  /** Takes a full scan's results, keeping the index files when they match it. */
  private void adopt(Segment segment, SegmentScanner.Result scan, long records) throws IOException {
    segment.size = scan.validBytes();
    segment.endOffset = scan.endOffset();
    segment.endMaxTimestamp = scan.endMaxTimestamp();
    segment.verified = true;
    segment.index = scan.index();
    IndexFiles.Parsed parsed = readIndex(segment, scan.validBytes(), records);
    if (!parsed.ok() || !parsed.index().sameEntries(scan.index())) {
      segment.writeIndexFiles(io);
      indexesRebuilt++;
      LOG.info(
          "log {}: rebuilt the index of {} ({})",
          dir,
          segment.logFile.getFileName(),
          parsed.ok() ? "entries disagreed with the segment" : parsed.problem());
    }
  }

  /** Reads and parses both index files; a missing or oversized file is a problem, not an error. */
  private IndexFiles.Parsed readIndex(Segment segment, long segmentBytes, long records)
      throws IOException {
    ByteBuffer offsets =
        IndexFiles.read(io, segment.offsetIndexFile, IndexFiles.maxOffsetIndexBytes(segmentBytes));
    ByteBuffer times =
        IndexFiles.read(io, segment.timeIndexFile, IndexFiles.maxTimeIndexBytes(segmentBytes));
    return IndexFiles.parse(offsets, times, segment.baseOffset, segmentBytes, records);
  }
}
