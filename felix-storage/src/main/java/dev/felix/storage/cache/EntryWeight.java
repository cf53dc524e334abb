package dev.felix.storage.cache;

/**
 * What an entry counts against its cache's byte bound: its key and value bytes plus a fixed
 * estimate of the objects around them, so that a cache of many tiny entries is bounded too.
 */
final class EntryWeight {
  /**
   * Heap bytes an entry costs besides its key and value bytes, estimated for a 64-bit JVM with
   * compressed pointers: Caffeine's node with expiry and weight (about 64), the entry record (32),
   * two {@code Bytes} wrappers (2 x 16) and two array headers (2 x 16).
   */
  static final int OVERHEAD_BYTES = 160;

  private EntryWeight() {}

  static int of(int keyBytes, int valueBytes) {
    long weight = (long) OVERHEAD_BYTES + keyBytes + valueBytes;
    return (int) Math.min(Integer.MAX_VALUE, weight);
  }
}
