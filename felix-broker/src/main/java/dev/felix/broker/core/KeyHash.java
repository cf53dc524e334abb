package dev.felix.broker.core;

import java.nio.ByteBuffer;

/**
 * Maps a record key to a shard: {@code (murmur3_x86_32(key, seed 0) & 0x7fffffff) % shards}. The
 * function is part of Felix's contract (clients may compute it to predict placement), so it must
 * never change for a given shard count; {@code KeyHashTest} pins reference vectors. MurmurHash3 is
 * chosen because every language has a well-known implementation of it.
 *
 * <p>Stateless and allocation-free; reads the key in place.
 */
public final class KeyHash {
  private static final int C1 = 0xcc9e2d51;
  private static final int C2 = 0x1b873593;

  private KeyHash() {}

  /** The shard of a key of {@code length} bytes at absolute {@code position} of {@code buffer}. */
  public static int shard(ByteBuffer buffer, int position, int length, int shards) {
    return (murmur3(buffer, position, length) & 0x7fffffff) % shards;
  }

  /** MurmurHash3 x86 32-bit, seed 0, of the bytes at {@code position} (little-endian blocks). */
  public static int murmur3(ByteBuffer buffer, int position, int length) {
    int hash = 0;
    int blocks = length >>> 2;
    for (int i = 0; i < blocks; i++) {
      int at = position + (i << 2);
      int k =
          (buffer.get(at) & 0xff)
              | (buffer.get(at + 1) & 0xff) << 8
              | (buffer.get(at + 2) & 0xff) << 16
              | (buffer.get(at + 3) & 0xff) << 24;
      hash ^= mixK(k);
      hash = Integer.rotateLeft(hash, 13) * 5 + 0xe6546b64;
    }
    int tail = position + (blocks << 2);
    int rest = length & 3;
    if (rest > 0) {
      int k = buffer.get(tail) & 0xff;
      if (rest > 1) {
        k |= (buffer.get(tail + 1) & 0xff) << 8;
      }
      if (rest > 2) {
        k |= (buffer.get(tail + 2) & 0xff) << 16;
      }
      hash ^= mixK(k);
    }
    hash ^= length;
    hash ^= hash >>> 16;
    hash *= 0x85ebca6b;
    hash ^= hash >>> 13;
    hash *= 0xc2b2ae35;
    hash ^= hash >>> 16;
    return hash;
  }

  private static int mixK(int k) {
    return Integer.rotateLeft(k * C1, 15) * C2;
  }
}
