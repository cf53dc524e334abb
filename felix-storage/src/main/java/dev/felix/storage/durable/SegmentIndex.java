package dev.felix.storage.durable;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The sparse index of one segment, in memory: one entry per indexed batch with the batch's offset
 * relative to the segment base, its byte position, and the log-wide running maximum timestamp of
 * every record <em>before</em> the batch. The first batch of a segment is always indexed, so entry
 * 0 is (0, 0, carry-in maximum of all earlier segments).
 *
 * <p>Why the maximum before the batch: running maxima never decrease, even when publishers send
 * out-of-order timestamps, so a time lookup is a binary search; and entry 0 carries the maximum of
 * earlier segments, so retention of those segments loses nothing a time lookup needs.
 *
 * <p>Why keep it in memory: an entry costs 16 bytes per {@code indexIntervalBytes} of records (0.4
 * % at 4 KiB), and lookups then never touch the index files, which are only written and re-read at
 * open. On disk the entries live in two files, see {@link IndexFiles}.
 *
 * <p>Not thread-safe; owned by its segment's log.
 */
final class SegmentIndex {
  private int size;
  private int[] relativeOffsets;
  private int[] positions;
  private long[] maxBefore;

  SegmentIndex() {
    this(8);
  }

  SegmentIndex(int capacity) {
    int initial = Math.max(1, capacity);
    relativeOffsets = new int[initial];
    positions = new int[initial];
    maxBefore = new long[initial];
  }

  int size() {
    return size;
  }

  int relativeOffset(int entry) {
    return relativeOffsets[entry];
  }

  int position(int entry) {
    return positions[entry];
  }

  long maxBefore(int entry) {
    return maxBefore[entry];
  }

  void add(int relativeOffset, int position, long maxTimestampBefore) {
    if (size == positions.length) {
      int grown = size * 2;
      relativeOffsets = Arrays.copyOf(relativeOffsets, grown);
      positions = Arrays.copyOf(positions, grown);
      maxBefore = Arrays.copyOf(maxBefore, grown);
    }
    relativeOffsets[size] = relativeOffset;
    positions[size] = position;
    maxBefore[size] = maxTimestampBefore;
    size++;
  }

  /** Whether a batch at {@code position} should get an entry. */
  boolean wants(int position, int intervalBytes) {
    return size == 0 || (long) position - positions[size - 1] >= intervalBytes;
  }

  /** The last entry at or before {@code relativeOffset}; the index must not be empty. */
  int floorEntry(long relativeOffset) {
    int low = 0;
    int high = size - 1;
    while (low < high) {
      int mid = (low + high + 1) >>> 1;
      if (relativeOffsets[mid] <= relativeOffset) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    return low;
  }

  /** The first entry whose maximum-before is {@code >= timestampMs}, or {@link #size()}. */
  int firstEntryWithMaxBeforeAtLeast(long timestampMs) {
    int low = 0;
    int high = size;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (maxBefore[mid] >= timestampMs) {
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    return low;
  }

  /** Drops the entries at or beyond {@code position} (after a torn tail was cut off). */
  void truncateToPosition(long position) {
    while (size > 0 && positions[size - 1] >= position) {
      size--;
    }
  }

  boolean sameEntries(SegmentIndex other) {
    return size == other.size
        && Arrays.equals(relativeOffsets, 0, size, other.relativeOffsets, 0, size)
        && Arrays.equals(positions, 0, size, other.positions, 0, size)
        && Arrays.equals(maxBefore, 0, size, other.maxBefore, 0, size);
  }

  /** Writes entry {@code entry} in the offset-index layout at the buffer's position. */
  void putOffsetEntry(ByteBuffer out, int entry) {
    out.putInt(relativeOffsets[entry]).putInt(positions[entry]);
  }

  /** Writes entry {@code entry} in the time-index layout at the buffer's position. */
  void putTimeEntry(ByteBuffer out, int entry) {
    out.putLong(maxBefore[entry]).putInt(relativeOffsets[entry]);
  }
}
