package dev.felix.loadgen.cache;

import java.util.List;

/** A cache to load: Felix or a peer. Workers are per thread; the target itself is shared. */
public interface CacheTarget extends AutoCloseable {
  /** "felix", "redis" (Jedis), "redis-lettuce": for reports. */
  String name();

  /** Writes every key with its value, in batches, before the measured load. */
  void preload(List<byte[]> keys, byte[] value);

  /** A worker for one client thread (its own connection where the client needs one). */
  Worker worker();

  @Override
  void close();

  /** The calls of one client thread. */
  interface Worker extends AutoCloseable {
    /** True on a hit. */
    boolean get(byte[] key);

    void put(byte[] key, byte[] value);

    @Override
    void close();
  }
}
