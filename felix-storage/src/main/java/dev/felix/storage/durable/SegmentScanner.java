package dev.felix.storage.durable;

import static dev.felix.storage.durable.BatchFormat.HEADER_BYTES;

import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * Walks a segment file batch by batch from its start, checking each batch (and its CRC when asked)
 * and that base offsets follow on without gaps, and rebuilds the segment's index on the way. Stops
 * at the end of the file or at the first bad batch, reporting where and why: recovery truncates
 * there (active segment) or refuses to open (sealed segment).
 */
final class SegmentScanner {
  /**
   * What a scan found.
   *
   * @param validBytes bytes of complete, valid batches from the start of the file
   * @param endOffset offset after the last valid record
   * @param endMaxTimestamp log-wide running maximum timestamp after the last valid record
   * @param firstBatchTimestamp max timestamp of the first batch, or -1 when there is none
   * @param index the index of the valid batches
   * @param problem why the scan stopped before the end of the file; null if it did not
   * @param damagedRecords records claimed by the header of the bad batch, when readable
   * @param batches valid batches scanned
   */
  record Result(
      long validBytes,
      long endOffset,
      long endMaxTimestamp,
      long firstBatchTimestamp,
      SegmentIndex index,
      String problem,
      long damagedRecords,
      long batches) {
    boolean clean() {
      return problem == null;
    }
  }

  private SegmentScanner() {}

  /**
   * Scans from {@code fromPosition}, where the batch at {@code fromOffset} starts and the running
   * maximum before it is {@code carryInMaxTimestamp}; the index positions are relative to the file
   * and the offsets to {@code baseOffset}. The stamps of idempotent producers' batches go to {@code
   * producers} when it is not null.
   */
  static Result scan(
      FileChannel file,
      long fileBytes,
      long baseOffset,
      long fromPosition,
      long fromOffset,
      long carryInMaxTimestamp,
      int indexIntervalBytes,
      boolean checkCrc,
      ReadWindow window,
      BatchView view,
      RecoveredProducers producers)
      throws IOException {
    SegmentIndex index = new SegmentIndex();
    long position = fromPosition;
    long next = fromOffset;
    long runningMax = carryInMaxTimestamp;
    long firstTimestamp = -1;
    long batches = 0;
    while (position < fileBytes) {
      int at = window.load(file, fileBytes, position, HEADER_BYTES);
      BatchView.Status status = view.parse(window.buffer(), at, window.limit(), checkCrc);
      if (status == BatchView.Status.INCOMPLETE
          && window.limit() - at >= 4
          && window.limit() - at < fileBytes - position) {
        // parse() returns INCOMPLETE only after the length passed its bounds check.
        long batchBytes = (window.buffer().getInt(at) & 0xFFFF_FFFFL) + 4;
        at =
            window.load(
                file, fileBytes, position, (int) Math.min(batchBytes, fileBytes - position));
        status = view.parse(window.buffer(), at, window.limit(), checkCrc);
      }
      String problem = null;
      if (status != BatchView.Status.OK) {
        problem = describe(status);
      } else if (view.baseOffset() != next) {
        problem = "batch base offset " + view.baseOffset() + " where " + next + " was expected";
      }
      if (problem != null) {
        long damaged = BatchView.claimedRecords(window.buffer(), at, window.limit());
        return new Result(
            position,
            next,
            runningMax,
            firstTimestamp,
            index,
            problem + " at byte " + position,
            damaged,
            batches);
      }
      if (index.wants((int) position, indexIntervalBytes)) {
        index.add((int) (next - baseOffset), (int) position, runningMax);
      }
      if (producers != null) {
        producers.add(view);
      }
      runningMax = Math.max(runningMax, view.maxTimestamp());
      if (firstTimestamp < 0) {
        firstTimestamp = view.maxTimestamp();
      }
      position += view.size();
      next = view.endOffset();
      batches++;
    }
    return new Result(position, next, runningMax, firstTimestamp, index, null, 0, batches);
  }

  static String describe(BatchView.Status status) {
    return switch (status) {
      case OK -> "valid batch";
      case INCOMPLETE -> "truncated batch";
      case BAD_LENGTH -> "invalid batch length";
      case BAD_MAGIC -> "invalid batch magic";
      case BAD_ATTRIBUTES -> "reserved batch attributes set";
      case BAD_PRODUCER -> "invalid producer stamp";
      case BAD_CRC -> "CRC32C mismatch";
      case BAD_RECORDS -> "batch records do not match its header";
    };
  }
}
