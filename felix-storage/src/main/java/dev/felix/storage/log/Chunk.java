package dev.felix.storage.log;

import static dev.felix.wire.message.RecordCodec.LENGTH_PREFIX;
import static dev.felix.wire.message.RecordCodec.OFFSET_DELTA_OFFSET;
import static dev.felix.wire.message.RecordCodec.TIMESTAMP_OFFSET;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One buffer of a {@link MemoryLog}: consecutive records in {@link
 * dev.felix.wire.message.RecordCodec} layout starting at {@link #baseOffset}, each with offset
 * delta {@code offset - baseOffset}, plus two sparse indexes with one entry per {@link
 * #INDEX_INTERVAL} records: the byte position of the entry's first record, and the log-wide running
 * maximum timestamp at the entry's last record.
 *
 * <p>Why sparse: a dense index would cost 12 bytes per record, more than half of a minimal record.
 * With one entry per 16 records, finding an offset walks at most 15 length prefixes and finding a
 * time is a binary search plus the same walk. Running maxima are non-decreasing even when
 * publishers supply their own out-of-order timestamps, so binary search stays valid.
 *
 * <p>Not thread-safe; owned by its log.
 */
final class Chunk {
  static final int INDEX_SHIFT = 4;
  static final int INDEX_INTERVAL = 1 << INDEX_SHIFT;

  long baseOffset;
  final ByteBuffer data;
  int used;
  int count;

  /**
   * Running maximum timestamp of the log before this chunk's first record (Long.MIN_VALUE: none).
   */
  long carryInMaxTimestamp;

  private int[] blockPositions;
  private long[] blockMaxTimestamps;

  Chunk(int capacity) {
    this.data = ByteBuffer.allocate(capacity).order(ByteOrder.BIG_ENDIAN);
    int blocks = Math.max(4, Math.min(1024, capacity / (64 * INDEX_INTERVAL)));
    this.blockPositions = new int[blocks];
    this.blockMaxTimestamps = new long[blocks];
  }

  /** Prepares a (new or recycled) chunk to hold records from {@code base}. */
  Chunk reset(long base, long carryIn) {
    baseOffset = base;
    carryInMaxTimestamp = carryIn;
    used = 0;
    count = 0;
    return this;
  }

  int capacity() {
    return data.capacity();
  }

  int room() {
    return data.capacity() - used;
  }

  long endOffset() {
    return baseOffset + count;
  }

  /** Running maximum timestamp after the last record (the carry-in when empty). */
  long maxTimestamp() {
    return count == 0 ? carryInMaxTimestamp : blockMaxTimestamps[(count - 1) >>> INDEX_SHIFT];
  }

  /**
   * Copies {@code n} records (the remaining bytes of {@code records}, which must fit in {@link
   * #room()}) to the end of the chunk as offsets from {@code firstOffset}, rewriting their offset
   * deltas, setting timestamp 0 to {@code nowMs} and indexing them. Allocation-free unless an index
   * array has to grow.
   */
  void append(ByteBuffer records, int n, long firstOffset, long nowMs) {
    int position = used;
    data.put(position, records, records.position(), records.remaining());
    long runningMax = maxTimestamp();
    int firstDelta = (int) (firstOffset - baseOffset);
    for (int i = 0; i < n; i++) {
      int index = count + i;
      int block = index >>> INDEX_SHIFT;
      if ((index & (INDEX_INTERVAL - 1)) == 0) {
        ensureBlocks(block + 1);
        blockPositions[block] = position;
      }
      data.putInt(position + OFFSET_DELTA_OFFSET, firstDelta + i);
      long timestamp = data.getLong(position + TIMESTAMP_OFFSET);
      if (timestamp == 0) {
        timestamp = nowMs;
        data.putLong(position + TIMESTAMP_OFFSET, timestamp);
      }
      runningMax = Math.max(runningMax, timestamp);
      blockMaxTimestamps[block] = runningMax;
      position += LENGTH_PREFIX + data.getInt(position);
    }
    used = position;
    count += n;
  }

  /** Byte position of the record at {@code offset}, which must be in this chunk. */
  int positionOf(long offset) {
    int index = (int) (offset - baseOffset);
    int position = blockPositions[index >>> INDEX_SHIFT];
    for (int i = index & (INDEX_INTERVAL - 1); i > 0; i--) {
      position += LENGTH_PREFIX + data.getInt(position);
    }
    return position;
  }

  /**
   * The first offset in this chunk whose running maximum timestamp is {@code >= timestampMs}; call
   * only when {@link #maxTimestamp()} is {@code >= timestampMs}.
   */
  long offsetForTimestamp(long timestampMs) {
    int blocks = ((count - 1) >>> INDEX_SHIFT) + 1;
    int low = 0;
    int high = blocks - 1;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (blockMaxTimestamps[mid] >= timestampMs) {
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    long runningMax = low == 0 ? carryInMaxTimestamp : blockMaxTimestamps[low - 1];
    int index = low << INDEX_SHIFT;
    int position = blockPositions[low];
    while (index < count) {
      runningMax = Math.max(runningMax, data.getLong(position + TIMESTAMP_OFFSET));
      if (runningMax >= timestampMs) {
        break;
      }
      position += LENGTH_PREFIX + data.getInt(position);
      index++;
    }
    return baseOffset + index;
  }

  private void ensureBlocks(int blocks) {
    if (blocks > blockPositions.length) {
      int grown = Math.max(blocks, blockPositions.length * 2);
      blockPositions = Arrays.copyOf(blockPositions, grown);
      blockMaxTimestamps = Arrays.copyOf(blockMaxTimestamps, grown);
    }
  }
}
