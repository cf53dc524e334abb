package dev.felix.bench.cache;

import dev.felix.storage.cache.CacheStore;
import dev.felix.storage.cache.CacheStoreConfig;
import dev.felix.storage.time.Clock;
import dev.felix.wire.Bytes;
import dev.felix.wire.message.CacheValue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cache store's get and put on W4's shape (100,000 keys of 1 KiB values, keys uniform at
 * random), against the JDK peer doing the least a cache must: a {@link ConcurrentHashMap} of the
 * same keys and values, without bound, expiry or versions. The difference is what the bound
 * (weights, W-TinyLFU bookkeeping), the deadlines and the versions cost per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CacheStoreBenchmark {
  @Param({"100000"})
  public int keys;

  private Bytes[] keyBytes;
  private Bytes value;
  private CacheStore store;
  private ConcurrentHashMap<Bytes, Bytes> peer;

  @Setup
  public void setUp() {
    keyBytes = new Bytes[keys];
    for (int i = 0; i < keys; i++) {
      keyBytes[i] = Bytes.utf8(String.format("key:%08d", i));
    }
    value = Bytes.wrap(new byte[1024]);
    store = new CacheStore(new CacheStoreConfig(512L * 1024 * 1024, 0, 0, 4096), Clock.system());
    peer = new ConcurrentHashMap<>();
    for (Bytes key : keyBytes) {
      store.put(key, value, 0);
      peer.put(key, value);
    }
  }

  private Bytes anyKey() {
    return keyBytes[ThreadLocalRandom.current().nextInt(keys)];
  }

  @Benchmark
  public CacheValue felixGet() {
    return store.get(anyKey());
  }

  @Benchmark
  public CacheValue felixPut() {
    return store.put(anyKey(), value, 0);
  }

  @Benchmark
  public Bytes jdkMapGet() {
    return peer.get(anyKey());
  }

  @Benchmark
  public Bytes jdkMapPut() {
    return peer.put(anyKey(), value);
  }
}
