package dev.felix.loadgen.cache;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * Redis as W4's peer through Lettuce: one connection shared by every worker thread, on one Netty
 * event loop, each thread blocking on its own call. That is the Felix client's shape (callers hand
 * their calls to the connection's event loop and are woken with the answer), where Jedis gives
 * every thread a socket it reads itself. Running both tells how much of W4's gap to Redis is the
 * client's hand-off through an event loop rather than QUIC (docs/benchmarks.md). The target ratio
 * is measured against Jedis, the faster of the two.
 */
public final class LettuceRedisCacheTarget implements CacheTarget {
  private static final int PRELOAD_BATCH = 1000;

  private final RedisClient client;
  private final StatefulRedisConnection<byte[], byte[]> connection;

  public LettuceRedisCacheTarget(String host, int port) {
    client = RedisClient.create(RedisURI.create(host, port));
    try {
      connection = client.connect(ByteArrayCodec.INSTANCE);
      connection.sync().ping();
    } catch (RuntimeException e) {
      client.shutdown();
      throw e;
    }
  }

  @Override
  public String name() {
    return "redis-lettuce";
  }

  @Override
  public void preload(List<byte[]> keys, byte[] value) {
    RedisAsyncCommands<byte[], byte[]> async = connection.async();
    List<RedisFuture<String>> batch = new ArrayList<>(PRELOAD_BATCH);
    for (byte[] key : keys) {
      batch.add(async.set(key, value));
      if (batch.size() == PRELOAD_BATCH) {
        awaitAll(batch);
      }
    }
    awaitAll(batch);
  }

  private static void awaitAll(List<RedisFuture<String>> batch) {
    try {
      for (RedisFuture<String> set : batch) {
        set.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while preloading Redis", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("preloading Redis failed", e.getCause());
    }
    batch.clear();
  }

  @Override
  public Worker worker() {
    RedisCommands<byte[], byte[]> sync = connection.sync();
    return new Worker() {
      @Override
      public boolean get(byte[] key) {
        return sync.get(key) != null;
      }

      @Override
      public void put(byte[] key, byte[] value) {
        sync.set(key, value);
      }

      @Override
      public void close() {} // the connection is the target's
    };
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
  }
}
