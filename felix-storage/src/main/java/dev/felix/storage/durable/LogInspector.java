package dev.felix.storage.durable;

import static dev.felix.storage.durable.BatchFormat.HEADER_BYTES_V2;
import static dev.felix.storage.durable.BatchFormat.MAGIC_OFFSET;

import dev.felix.error.FelixException;
import dev.felix.error.StorageException;
import dev.felix.wire.WireLimits;
import dev.felix.wire.message.RecordBatch;
import dev.felix.wire.message.RecordCodec;
import dev.felix.wire.message.RecordCursor;
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

/**
 * Read-only inspection of a log directory for tools ({@code felix log verify|dump|stats}): nothing
 * is written, truncated or locked, and nothing is printed; callers get plain values. Safe to run on
 * a directory that a live log appends to (the newest bytes may then show as a torn tail).
 */
public final class LogInspector {
  /**
   * Limits for decoding stored records in {@link #dump}: the widest the wire allows, since the log
   * already accepted these records under whatever limits the broker had.
   */
  private static final WireLimits STORED =
      new WireLimits(WireLimits.ABSOLUTE_MAX_FRAME_PAYLOAD_BYTES, 1_000_000, 0xFFFF, 0xFFFF, 0, 1);

  private LogInspector() {}

  /** Segment base offsets in {@code dir}, ascending. */
  static List<Long> segmentBases(Path dir) {
    TreeSet<Long> bases = new TreeSet<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        long base = SegmentNames.parseBase(file.getFileName().toString(), SegmentNames.LOG_SUFFIX);
        if (base >= 0) {
          bases.add(base);
        }
      }
    } catch (IOException e) {
      throw StorageErrors.of("listing", dir, e);
    }
    return new ArrayList<>(bases);
  }

  /** Sizes, offsets and time range, from a structural walk of every segment (no CRC checks). */
  public static LogStats stats(Path dir) {
    return walk(
        dir, false, DurableLogConfig.DEFAULT_INDEX_INTERVAL_BYTES, new ArrayList<>(), new long[1]);
  }

  /**
   * Walks every segment checking every CRC, checks that segments follow on without gaps, and checks
   * the index files against indexes rebuilt from the segments.
   */
  public static VerifyReport verify(Path dir) {
    return verify(dir, DurableLogConfig.DEFAULT_INDEX_INTERVAL_BYTES);
  }

  /**
   * As {@link #verify(Path)}, for a log written with another {@link
   * DurableLogConfig#indexIntervalBytes()} (the index is compared with a rebuild at that interval).
   */
  public static VerifyReport verify(Path dir, int indexIntervalBytes) {
    List<LogProblem> problems = new ArrayList<>();
    long[] batches = new long[1];
    LogStats stats = walk(dir, true, indexIntervalBytes, problems, batches);
    findOrphanIndexes(dir, problems);
    return new VerifyReport(stats, batches[0], problems);
  }

  private static LogStats walk(
      Path dir,
      boolean verify,
      int indexIntervalBytes,
      List<LogProblem> problems,
      long[] batchesOut) {
    List<Long> bases = segmentBases(dir);
    ReadWindow window = new ReadWindow(DurableLogConfig.DEFAULT_READ_BUFFER_BYTES);
    BatchView view = new BatchView();
    long records = 0;
    long segmentBytes = 0;
    long indexBytes = 0;
    long firstTimestamp = -1;
    long carry = Long.MIN_VALUE;
    if (!bases.isEmpty()) {
      try {
        carry =
            IndexFiles.storedCarryIn(
                FileIo.DEFAULT, SegmentNames.timeIndexFile(dir, bases.get(0)), bases.get(0));
      } catch (IOException e) {
        throw StorageErrors.of("reading", dir, e);
      }
    }
    long endOffset = bases.isEmpty() ? 0 : bases.get(0);
    for (int i = 0; i < bases.size(); i++) {
      long base = bases.get(i);
      Path file = SegmentNames.logFile(dir, base);
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
        long size = channel.size();
        SegmentScanner.Result scan =
            SegmentScanner.scan(
                channel,
                size,
                base,
                0,
                base,
                carry,
                indexIntervalBytes,
                verify,
                window,
                view,
                null);
        segmentBytes += size;
        records += scan.endOffset() - base;
        endOffset = scan.endOffset();
        carry = scan.endMaxTimestamp();
        batchesOut[0] += scan.batches();
        if (firstTimestamp < 0 && scan.validBytes() > 0) {
          int at = window.load(channel, size, 0, HEADER_BYTES_V2 + RecordCodec.MIN_RECORD);
          int header = BatchFormat.headerBytes(window.buffer().getInt(at + MAGIC_OFFSET));
          firstTimestamp = window.buffer().getLong(at + header + RecordCodec.TIMESTAMP_OFFSET);
        }
        indexBytes += sizeOrZero(SegmentNames.offsetIndexFile(dir, base));
        indexBytes += sizeOrZero(SegmentNames.timeIndexFile(dir, base));
        if (!scan.clean()) {
          problems.add(
              new LogProblem(
                  file, scan.validBytes(), LogProblem.Kind.CORRUPT_BATCH, scan.problem()));
        } else if (i + 1 < bases.size() && scan.endOffset() != bases.get(i + 1)) {
          problems.add(
              new LogProblem(
                  file,
                  -1,
                  LogProblem.Kind.OFFSET_GAP,
                  "records end at "
                      + scan.endOffset()
                      + ", next segment starts at "
                      + bases.get(i + 1)));
        }
        if (verify) {
          checkIndex(dir, base, scan, problems);
        }
      } catch (IOException e) {
        throw StorageErrors.of("reading", file, e);
      }
    }
    long start = bases.isEmpty() ? 0 : bases.get(0);
    return new LogStats(
        bases.size(),
        start,
        endOffset,
        records,
        segmentBytes,
        indexBytes,
        firstTimestamp,
        records == 0 ? -1 : carry);
  }

  private static void checkIndex(
      Path dir, long base, SegmentScanner.Result scan, List<LogProblem> problems)
      throws IOException {
    Path offsets = SegmentNames.offsetIndexFile(dir, base);
    Path times = SegmentNames.timeIndexFile(dir, base);
    for (Path file : List.of(offsets, times)) {
      if (!Files.exists(file)) {
        problems.add(new LogProblem(file, -1, LogProblem.Kind.INDEX_MISSING, "index file missing"));
        return;
      }
    }
    IndexFiles.Parsed parsed =
        IndexFiles.parse(
            IndexFiles.read(
                FileIo.DEFAULT, offsets, IndexFiles.maxOffsetIndexBytes(scan.validBytes())),
            IndexFiles.read(FileIo.DEFAULT, times, IndexFiles.maxTimeIndexBytes(scan.validBytes())),
            base,
            scan.validBytes(),
            scan.endOffset() - base);
    if (!parsed.ok()) {
      problems.add(new LogProblem(offsets, -1, LogProblem.Kind.INDEX_INVALID, parsed.problem()));
    } else if (!parsed.index().sameEntries(scan.index())) {
      problems.add(
          new LogProblem(
              offsets,
              -1,
              LogProblem.Kind.INDEX_MISMATCH,
              "index entries disagree with the segment"));
    }
  }

  private static void findOrphanIndexes(Path dir, List<LogProblem> problems) {
    List<Long> bases = segmentBases(dir);
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        long base =
            Math.max(
                SegmentNames.parseBase(name, SegmentNames.OFFSET_INDEX_SUFFIX),
                SegmentNames.parseBase(name, SegmentNames.TIME_INDEX_SUFFIX));
        if (base >= 0 && !bases.contains(base)) {
          problems.add(
              new LogProblem(file, -1, LogProblem.Kind.ORPHAN_INDEX, "no segment " + base));
        }
      }
    } catch (IOException e) {
      throw StorageErrors.of("listing", dir, e);
    }
  }

  private static long sizeOrZero(Path file) throws IOException {
    return Files.exists(file) ? Files.size(file) : 0;
  }

  /**
   * Batches from the one holding {@code fromOffset} to the end of the log, CRC-checked and decoded.
   * Iteration stops early at the first bad batch; {@link BatchIterator#problem()} then says why.
   */
  public static BatchIterator dump(Path dir, long fromOffset) {
    return new BatchIterator(dir, segmentBases(dir), fromOffset);
  }

  /** Decodes the records of the batch the view just parsed (for {@link BatchIterator}). */
  static List<DumpedRecord> records(ByteBuffer data, int at, BatchView view) {
    ByteBuffer run = data.duplicate();
    run.limit(at + view.size()).position(at + view.headerBytes());
    RecordBatch batch;
    try {
      batch = RecordBatch.wrap(run, view.recordCount(), RecordBatch.Kind.EVENT, STORED);
    } catch (FelixException e) {
      throw new StorageException(e.code(), "stored records do not decode: " + e.getMessage(), e);
    }
    List<DumpedRecord> records = new ArrayList<>(view.recordCount());
    RecordCursor cursor = batch.cursor();
    while (cursor.next()) {
      records.add(
          new DumpedRecord(
              view.baseOffset() + cursor.offsetDelta(), cursor.recordSize(), cursor.toRecord()));
    }
    return records;
  }
}
