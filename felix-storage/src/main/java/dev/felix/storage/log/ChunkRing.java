package dev.felix.storage.log;

/**
 * The chunks of a {@link MemoryLog} in offset order: a growable ring with index access, so that the
 * chunk holding an offset is found by binary search, and both ends change in O(1).
 *
 * <p>Not thread-safe; owned by its log.
 */
final class ChunkRing {
  private Chunk[] chunks = new Chunk[8];
  private int head;
  private int size;

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  Chunk get(int index) {
    return chunks[(head + index) & (chunks.length - 1)];
  }

  Chunk first() {
    return size == 0 ? null : get(0);
  }

  Chunk last() {
    return size == 0 ? null : get(size - 1);
  }

  void addLast(Chunk chunk) {
    if (size == chunks.length) {
      Chunk[] grown = new Chunk[chunks.length * 2];
      for (int i = 0; i < size; i++) {
        grown[i] = get(i);
      }
      chunks = grown;
      head = 0;
    }
    chunks[(head + size) & (chunks.length - 1)] = chunk;
    size++;
  }

  Chunk removeFirst() {
    Chunk chunk = chunks[head];
    chunks[head] = null;
    head = (head + 1) & (chunks.length - 1);
    size--;
    return chunk;
  }

  void clear() {
    while (size > 0) {
      removeFirst();
    }
  }

  /** Index of the chunk holding {@code offset}, which must lie within the ring's chunks. */
  int indexOf(long offset) {
    // Reads and flushes mostly touch the newest chunk: check it before searching.
    if (get(size - 1).baseOffset <= offset) {
      return size - 1;
    }
    int low = 0;
    int high = size - 1;
    while (low < high) {
      int mid = (low + high + 1) >>> 1;
      if (get(mid).baseOffset <= offset) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    return low;
  }

  /** Index of the first chunk whose running maximum timestamp is {@code >= timestampMs}, or -1. */
  int firstWithMaxTimestampAtLeast(long timestampMs) {
    if (size == 0 || get(size - 1).maxTimestamp() < timestampMs) {
      return -1;
    }
    int low = 0;
    int high = size - 1;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (get(mid).maxTimestamp() >= timestampMs) {
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    return low;
  }
}
