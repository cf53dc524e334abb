package dev.felix.storage.durable;

import static dev.felix.storage.durable.BatchFormat.HEADER_BYTES;

import dev.felix.wire.message.RecordCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The read side of a {@link DurableLog}: seeks through the segment list and the sparse index, then
 * walks batches in a {@link ReadWindow} (one pread per window, not per batch) and copies record
 * runs out with their offset deltas renumbered, as {@code MemoryLog} does. Lookups by time use the
 * index's running maxima the same way.
 *
 * <p>Reads check each batch's structure but not its CRC: the active segment was CRC-checked at open
 * and written by this process since, and sealed segments were CRC-checked at open ({@link
 * SealedSegmentCheck#EAGER}) or are checked here on their first read ({@link
 * SealedSegmentCheck#LAZY}). A batch that is not where the index says fails the read with a {@code
 * STORAGE_ERROR} naming file and position.
 *
 * <p>Not thread-safe; owned by the log's owner thread.
 */
final class LogReader {
  private final List<Segment> segments;
  private final ReadWindow window;
  private final BatchView view = new BatchView();
  private final FileIo io;
  private final DurableLogCounters counters;
  private final int indexIntervalBytes;

  LogReader(
      List<Segment> segments,
      ReadWindow window,
      FileIo io,
      DurableLogCounters counters,
      int indexIntervalBytes) {
    this.segments = segments;
    this.window = window;
    this.io = io;
    this.counters = counters;
    this.indexIntervalBytes = indexIntervalBytes;
  }

  ReadWindow window() {
    return window;
  }

  /** See {@code Log.read}; {@code fromOffset} is inside {@code [start, end)}. */
  int read(long fromOffset, long endOffset, int maxRecords, int maxBytes, ByteBuffer out)
      throws IOException {
    int segmentIndex = segmentOf(fromOffset);
    Segment segment = readable(segmentIndex);
    int entry = segment.index.floorEntry(fromOffset - segment.baseOffset);
    long position = segment.index.position(entry);
    long batchBase = segment.baseOffset + segment.index.relativeOffset(entry);
    int capacity = out.remaining();
    int copied = 0;
    long copiedBytes = 0;
    while (copied < maxRecords && fromOffset + copied < endOffset) {
      if (position >= segment.size) {
        segment = readable(++segmentIndex);
        position = 0;
        batchBase = segment.baseOffset;
        continue;
      }
      int at = loadBatch(segment, position, batchBase);
      long wanted = fromOffset + copied;
      if (view.endOffset() > wanted) {
        ByteBuffer data = window.buffer();
        int record = at + view.headerBytes();
        for (long offset = view.baseOffset(); offset < wanted; offset++) {
          record += RecordCodec.LENGTH_PREFIX + data.getInt(record);
        }
        int runStart = record;
        int runRecords = 0;
        boolean full = false;
        while (wanted + runRecords < view.endOffset() && copied + runRecords < maxRecords) {
          int recordSize = RecordCodec.LENGTH_PREFIX + data.getInt(record);
          long total = copiedBytes + (record - runStart) + recordSize;
          boolean first = copied + runRecords == 0;
          if ((!first && total > maxBytes) || total > capacity) {
            full = true;
            break;
          }
          record += recordSize;
          runRecords++;
        }
        copyRun(data, runStart, record - runStart, runRecords, copied, out);
        copied += runRecords;
        copiedBytes += record - runStart;
        if (full) {
          break;
        }
      }
      position += view.size();
      batchBase = view.endOffset();
    }
    return copied;
  }

  private static void copyRun(
      ByteBuffer data, int from, int length, int records, int firstDelta, ByteBuffer out) {
    int start = out.position();
    out.put(start, data, from, length);
    int position = start;
    for (int i = 0; i < records; i++) {
      out.putInt(position + RecordCodec.OFFSET_DELTA_OFFSET, firstDelta + i);
      position += RecordCodec.LENGTH_PREFIX + out.getInt(position);
    }
    out.position(start + length);
  }

  /**
   * See {@code Log.offsetForTimestamp}. The first segment whose end maximum reaches the time holds
   * the answer; in it, the first index entry whose maximum-before reaches the time bounds it from
   * above, and the entry before that is where the walk starts.
   */
  long offsetForTimestamp(long timestampMs, long startOffset, long endOffset) throws IOException {
    int segmentIndex = 0;
    while (segmentIndex < segments.size()
        && segments.get(segmentIndex).endMaxTimestamp < timestampMs) {
      segmentIndex++;
    }
    if (segmentIndex == segments.size()) {
      return endOffset;
    }
    Segment segment = readable(segmentIndex);
    int entry = segment.index.firstEntryWithMaxBeforeAtLeast(timestampMs);
    if (entry == 0) {
      return Math.max(startOffset, segment.baseOffset);
    }
    long position = segment.index.position(entry - 1);
    long offset = segment.baseOffset + segment.index.relativeOffset(entry - 1);
    long runningMax = segment.index.maxBefore(entry - 1);
    while (position < segment.size) {
      int at = loadBatch(segment, position, offset);
      if (Math.max(runningMax, view.maxTimestamp()) >= timestampMs) {
        ByteBuffer data = window.buffer();
        int record = at + view.headerBytes();
        for (int i = 0; i < view.recordCount(); i++) {
          runningMax = Math.max(runningMax, data.getLong(record + RecordCodec.TIMESTAMP_OFFSET));
          if (runningMax >= timestampMs) {
            return Math.max(startOffset, offset + i);
          }
          record += RecordCodec.LENGTH_PREFIX + data.getInt(record);
        }
      }
      runningMax = Math.max(runningMax, view.maxTimestamp());
      position += view.size();
      offset = view.endOffset();
    }
    // The segment's end maximum said the time is reached inside it; its data disagrees.
    throw StorageErrors.corrupt(
        segment.logFile, "running maximum timestamp does not match its records");
  }

  /** Index of the segment holding {@code offset} (which lies inside the log). */
  int segmentOf(long offset) {
    int low = 0;
    int high = segments.size() - 1;
    if (segments.get(high).baseOffset <= offset) {
      return high;
    }
    while (low < high) {
      int mid = (low + high + 1) >>> 1;
      if (segments.get(mid).baseOffset <= offset) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    return low;
  }

  /** Loads and parses the batch at {@code position}, which must start at offset {@code base}. */
  private int loadBatch(Segment segment, long position, long base) throws IOException {
    int at = window.load(segment.channel, segment.size, position, HEADER_BYTES);
    BatchView.Status status = view.parse(window.buffer(), at, window.limit(), false);
    if (status == BatchView.Status.INCOMPLETE && window.limit() - at >= 4) {
      long batchBytes = (window.buffer().getInt(at) & 0xFFFF_FFFFL) + 4;
      at =
          window.load(
              segment.channel,
              segment.size,
              position,
              (int) Math.min(batchBytes, segment.size - position));
      status = view.parse(window.buffer(), at, window.limit(), false);
    }
    if (status != BatchView.Status.OK || view.baseOffset() != base) {
      throw StorageErrors.corrupt(
          segment.logFile,
          (status == BatchView.Status.OK
                  ? "batch of offset " + view.baseOffset() + " where " + base + " was expected"
                  : SegmentScanner.describe(status))
              + " at byte "
              + position);
    }
    return at;
  }

  /** The segment at {@code index}, after its lazy CRC check if it still needs one. */
  private Segment readable(int index) throws IOException {
    Segment segment = segments.get(index);
    if (segment.corruption != null) {
      throw StorageErrors.corrupt(segment.logFile, segment.corruption);
    }
    if (!segment.verified) {
      verify(segment);
    }
    return segment;
  }

  /**
   * The deferred full check of a {@link SealedSegmentCheck#LAZY} segment: every CRC, and the index
   * against a rebuilt one (rewritten when they differ).
   */
  private void verify(Segment segment) throws IOException {
    long carry = segment.index.size() > 0 ? segment.index.maxBefore(0) : Long.MIN_VALUE;
    SegmentScanner.Result scan =
        SegmentScanner.scan(
            segment.channel,
            segment.size,
            segment.baseOffset,
            0,
            segment.baseOffset,
            carry,
            indexIntervalBytes,
            true,
            window,
            view,
            null);
    if (!scan.clean() || scan.endOffset() != segment.endOffset) {
      segment.corruption =
          scan.clean() ? "records end at offset " + scan.endOffset() : scan.problem();
      throw StorageErrors.corrupt(segment.logFile, segment.corruption);
    }
    if (!scan.index().sameEntries(segment.index)) {
      segment.index = scan.index();
      segment.writeIndexFiles(io);
      counters.indexRebuilt();
    }
    segment.verified = true;
  }
}
