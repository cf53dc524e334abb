package dev.felix.wire;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.LongAdder;

/**
 * The names decoded most recently (tenants, namespaces, streams, caches, groups), so that decoding
 * a frame does not allocate its names again: nearly every frame repeats names the broker and the
 * client have seen thousands of times, and decoding them was about 6% of all the bytes W3
 * allocated, and half of what a PublishBatch decode allocated (docs/benchmarks.md).
 *
 * <p>A fixed array of {@value #SLOTS} slots, indexed by the name's hash: a lookup compares the
 * bytes with the one name in its slot and a miss overwrites the slot, so memory is bounded (at most
 * {@value #SLOTS} names of at most 255 characters) and full means replacing. Only names that passed
 * {@link Names#require} are remembered.
 *
 * <p>{@link #misses()} counts the names that had to be decoded (a steadily rising rate means more
 * distinct names in use than slots, or colliding ones); hits are not counted, so the hot path stays
 * free of shared writes.
 *
 * <p>Thread-safe without locks: slots are written and read racily, which is safe because a {@link
 * String} is immutable and safely published through its final fields; a reader that sees an older
 * name in a slot simply misses.
 */
final class NameCache {
  static final int SLOTS = 1024;

  private final String[] slots = new String[SLOTS];
  private final LongAdder misses = new LongAdder();

  /**
   * The remembered name equal to the {@code length} Latin-1 bytes at {@code position} of {@code
   * buffer} (whose hash, as {@link String#hashCode()} computes it, is {@code hash}), or null.
   */
  String find(ByteBuffer buffer, int position, int length, int hash) {
    String candidate = slots[hash & (SLOTS - 1)];
    if (candidate == null || candidate.length() != length || candidate.hashCode() != hash) {
      return null;
    }
    for (int i = 0; i < length; i++) {
      if (candidate.charAt(i) != (buffer.get(position + i) & 0xFF)) {
        return null;
      }
    }
    return candidate;
  }

  /** Remembers a validated name under its hash, replacing whatever shared its slot. */
  void remember(String name) {
    misses.increment();
    slots[name.hashCode() & (SLOTS - 1)] = name;
  }

  /** Names decoded and remembered because they were not in the cache, since the JVM started. */
  long misses() {
    return misses.sum();
  }

  /** {@link String#hashCode()} of the Latin-1 string those bytes decode to, without decoding. */
  static int hash(ByteBuffer buffer, int position, int length) {
    int hash = 0;
    for (int i = 0; i < length; i++) {
      hash = 31 * hash + (buffer.get(position + i) & 0xFF);
    }
    return hash;
  }
}
