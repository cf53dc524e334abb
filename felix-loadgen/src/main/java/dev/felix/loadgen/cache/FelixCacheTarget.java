package dev.felix.loadgen.cache;

import dev.felix.client.Felix;
import dev.felix.client.FelixCache;
import dev.felix.client.FelixClient;
import dev.felix.client.FelixOptions;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Felix as a cache: one client connection shared by every worker thread; their calls are pipelined
 * over the connection's request streams, which is how an application would use it.
 */
public final class FelixCacheTarget implements CacheTarget {
  private static final int PRELOAD_BATCH = 500;

  private final FelixClient client;
  private final FelixCache cache;

  public FelixCacheTarget(FelixOptions options, String cacheName) {
    this.client = Felix.connect(options);
    this.cache = client.cache(cacheName);
  }

  @Override
  public String name() {
    return "felix";
  }

  @Override
  public void preload(List<byte[]> keys, byte[] value) {
    for (int from = 0; from < keys.size(); from += PRELOAD_BATCH) {
      // Identity map: byte[] keys have no value equality, and every key is distinct anyway.
      Map<byte[], byte[]> batch = new IdentityHashMap<>();
      for (byte[] key : keys.subList(from, Math.min(keys.size(), from + PRELOAD_BATCH))) {
        batch.put(key, value);
      }
      cache.putAll(batch, null);
    }
  }

  @Override
  public Worker worker() {
    return new Worker() {
      @Override
      public boolean get(byte[] key) {
        return cache.get(key).isPresent();
      }

      @Override
      public void put(byte[] key, byte[] value) {
        cache.put(key, value);
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public void close() {
    client.close();
  }
}
