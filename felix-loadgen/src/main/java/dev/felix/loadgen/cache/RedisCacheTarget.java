package dev.felix.loadgen.cache;

import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * Redis as the peer of W4, through Jedis: one connection per worker thread (Jedis connections are
 * not shared between threads), plain GET and SET, preloaded with pipelined SETs.
 */
public final class RedisCacheTarget implements CacheTarget {
  private final String host;
  private final int port;

  public RedisCacheTarget(String host, int port) {
    this.host = host;
    this.port = port;
    try (Jedis probe = new Jedis(host, port)) {
      probe.ping();
    }
  }

  @Override
  public String name() {
    return "redis";
  }

  @Override
  public void preload(List<byte[]> keys, byte[] value) {
    try (Jedis jedis = new Jedis(host, port)) {
      Pipeline pipeline = jedis.pipelined();
      int queued = 0;
      for (byte[] key : keys) {
        pipeline.set(key, value);
        if (++queued % 1000 == 0) {
          pipeline.sync();
        }
      }
      pipeline.sync();
    }
  }

  @Override
  public Worker worker() {
    Jedis jedis = new Jedis(host, port);
    return new Worker() {
      @Override
      public boolean get(byte[] key) {
        return jedis.get(key) != null;
      }

      @Override
      public void put(byte[] key, byte[] value) {
        jedis.set(key, value);
      }

      @Override
      public void close() {
        jedis.close();
      }
    };
  }

  @Override
  public void close() {}
}
