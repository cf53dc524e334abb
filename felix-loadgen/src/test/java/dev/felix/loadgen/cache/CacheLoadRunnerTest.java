package dev.felix.loadgen.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The W4 driver against an in-memory target: what it counts, and the CPU it charges per op. */
class CacheLoadRunnerTest {
  private static final CacheWorkload SHORT = new CacheWorkload("W4", 1_000, 64, 2, 90, 0, 1);

  @Test
  void countsTheMixAndChargesTheMeasuredWindowsCpuPerOperation() throws Exception {
    MapTarget target = new MapTarget(false);

    CacheResult result = new CacheLoadRunner(line -> {}).run(SHORT, target);

    long operations = result.gets() + result.puts();
    assertThat(target.preloaded).isEqualTo(1_000);
    assertThat(operations).isGreaterThan(1_000);
    assertThat((double) result.gets() / operations).isCloseTo(0.9, within(0.05));
    assertThat(result.misses()).isZero();
    assertThat(result.errors()).isZero();
    assertThat(result.getLatencyNanos().getTotalCount()).isEqualTo(result.gets());
    assertThat(result.putLatencyNanos().getTotalCount()).isEqualTo(result.puts());
    // Two closed-loop threads on an in-memory map keep at least one core busy for the window.
    assertThat(result.cpuSeconds()).isGreaterThan(0.3);
    assertThat(result.serverCpuSeconds()).isNaN();
    assertThat(result.cpuMicrosPerOp())
        .isCloseTo(result.cpuSeconds() * 1e6 / operations, within(1e-6));
    // An in-memory target answers on the calling thread, which never sleeps: the workers are
    // scheduled far less often than once per call (over the network each call wakes its caller)
    assertThat(result.wakeupsPerOp()).isNotNegative().isLessThan(1.0);
    assertThat(result.datagramsPerOp()).isNotNaN();
    assertThat(result.table())
        .contains("process cpu ", " for a CPU; ", " us of CPU per op", " thread wake-ups, ");
    assertThat(result.json())
        .contains(
            "\"processCpuSeconds\":",
            "\"cpuMicrosPerOp\":",
            "\"serverCpuSeconds\":null",
            "\"wakeupsPerOp\":");
  }

  @Test
  void aServerProcessesCpuIsAddedToTheCostOfAnOperation() throws Exception {
    // This JVM stands in for the server: its CPU over the window is then counted twice.
    OptionalLong self = OptionalLong.of(ProcessHandle.current().pid());

    CacheResult result = new CacheLoadRunner(line -> {}).run(SHORT, new MapTarget(false), self);

    long operations = result.gets() + result.puts();
    assertThat(result.serverCpuSeconds()).isGreaterThan(0.1);
    assertThat(result.cpuMicrosPerOp())
        .isCloseTo(
            (result.cpuSeconds() + result.serverCpuSeconds()) * 1e6 / operations, within(1e-6));
    assertThat(result.table()).contains(", server process cpu ");
  }

  @Test
  void aWarmUpRunsUnmeasuredAndSaysWhenTheJitIsDone() throws Exception {
    List<String> progress = new CopyOnWriteArrayList<>();
    CacheWorkload warming = SHORT.withWarmup(1);
    MapTarget target = new MapTarget(false);

    long start = System.nanoTime();
    CacheResult result = new CacheLoadRunner(progress::add).run(warming, target);
    double elapsed = (System.nanoTime() - start) / 1e9;

    assertThat(progress).anyMatch(line -> line.contains("W4: warming up 1 s"));
    assertThat(progress)
        .anyMatch(line -> line.matches(".*W4: warm-up of \\d+ s done \\(the JIT compiled \\d+%.*"));
    // the measured window is the 1 s duration, not the warm-up before it
    assertThat(result.seconds()).isLessThan(1.5);
    assertThat(elapsed).isGreaterThan(result.seconds() + 0.9);
  }

  @Test
  void failedCallsAreCountedAsErrorsNotAsOperations() throws Exception {
    MapTarget target = new MapTarget(true);

    CacheResult result = new CacheLoadRunner(line -> {}).run(SHORT, target);

    assertThat(result.errors()).isGreaterThan(0);
    assertThat(result.puts()).isZero();
    assertThat(result.gets()).isGreaterThan(0);
    assertThat(target.failedPuts.get()).isGreaterThanOrEqualTo(result.errors());
  }

  /** A cache in a map; optionally every put fails, as a full or refusing cache would. */
  private static final class MapTarget implements CacheTarget {
    private final Map<ByteBuffer, byte[]> entries = new ConcurrentHashMap<>();
    private final boolean failPuts;
    private final AtomicLong failedPuts = new AtomicLong();
    private int preloaded;

    MapTarget(boolean failPuts) {
      this.failPuts = failPuts;
    }

    @Override
    public String name() {
      return "map";
    }

    @Override
    public void preload(List<byte[]> keys, byte[] value) {
      for (byte[] key : keys) {
        entries.put(ByteBuffer.wrap(key), value);
      }
      preloaded = entries.size();
    }

    @Override
    public Worker worker() {
      return new Worker() {
        @Override
        public boolean get(byte[] key) {
          return entries.get(ByteBuffer.wrap(key)) != null;
        }

        @Override
        public void put(byte[] key, byte[] value) {
          if (failPuts) {
            failedPuts.incrementAndGet();
            throw new IllegalStateException("refused");
          }
          entries.put(ByteBuffer.wrap(key), value.clone());
        }

        @Override
        public void close() {}
      };
    }

    @Override
    public void close() {}
  }
}
