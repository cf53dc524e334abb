package dev.felix.loadgen.cache;

import dev.felix.loadgen.CostSnapshot;
import dev.felix.loadgen.JitWarmup;
import dev.felix.loadgen.ProcessStats;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * Runs a {@link CacheWorkload} against a {@link CacheTarget}: preload every key, then {@code
 * threads} closed-loop workers pick keys uniformly at random and get or put them for the warm-up
 * and then the measured time. Each worker records into its own histograms (no shared state on the
 * hot path); they are merged at the end.
 */
public final class CacheLoadRunner {
  private final Consumer<String> progress;

  public CacheLoadRunner(Consumer<String> progress) {
    this.progress = progress;
  }

  /** Keys {@code key:000000..}: fixed width, so every key has the same size. */
  public static List<byte[]> keys(int count) {
    List<byte[]> keys = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      keys.add(String.format("key:%08d", i).getBytes(StandardCharsets.US_ASCII));
    }
    return keys;
  }

  public CacheResult run(CacheWorkload workload, CacheTarget target) throws InterruptedException {
    return run(workload, target, OptionalLong.empty());
  }

  /**
   * As {@link #run(CacheWorkload, CacheTarget)}, also counting the CPU of {@code serverPid} (a
   * server process on this machine) over the measured window.
   */
  public CacheResult run(CacheWorkload workload, CacheTarget target, OptionalLong serverPid)
      throws InterruptedException {
    List<byte[]> keys = keys(workload.keys());
    byte[] value = new byte[workload.valueBytes()];
    Arrays.fill(value, (byte) 'v');
    progress.accept(
        target.name() + " " + workload.name() + ": preloading " + keys.size() + " keys");
    target.preload(keys, value);

    AtomicBoolean measuring = new AtomicBoolean();
    AtomicBoolean stop = new AtomicBoolean();
    List<WorkerLoop> loops = new ArrayList<>();
    CountDownLatch done = new CountDownLatch(workload.threads());
    for (int i = 0; i < workload.threads(); i++) {
      WorkerLoop loop = new WorkerLoop(target.worker(), keys, value, workload, measuring, stop, i);
      loops.add(loop);
      Thread thread =
          new Thread(
              () -> {
                try {
                  loop.run();
                } finally {
                  done.countDown();
                }
              },
              "cache-load-" + i);
      thread.setDaemon(true);
      thread.start();
    }
    warmUp(target, workload);
    measuring.set(true);
    long start = System.nanoTime();
    CostSnapshot before = CostSnapshot.now();
    double serverCpuBefore = serverCpuSeconds(serverPid);
    for (int s = 1; s <= workload.durationSeconds(); s++) {
      TimeUnit.SECONDS.sleep(1);
      long ops = loops.stream().mapToLong(WorkerLoop::operations).sum();
      progress.accept(
          String.format(
              "%s %s: %d/%d s, %,.0f ops/s",
              target.name(), workload.name(), s, workload.durationSeconds(), ops / (s * 1.0)));
    }
    measuring.set(false);
    double seconds = (System.nanoTime() - start) / 1e9;
    CostSnapshot.Cost cost = before.since(); // before the workers end (CostSnapshot)
    double serverCpu = serverCpuSeconds(serverPid) - serverCpuBefore;
    stop.set(true);
    done.await(30, TimeUnit.SECONDS);

    Histogram gets = newHistogram();
    Histogram puts = newHistogram();
    long getCount = 0;
    long putCount = 0;
    long misses = 0;
    long errors = 0;
    for (WorkerLoop loop : loops) {
      gets.add(loop.getLatency);
      puts.add(loop.putLatency);
      getCount += loop.gets;
      putCount += loop.puts;
      misses += loop.misses;
      errors += loop.errors;
    }
    return new CacheResult(
        target.name(),
        workload,
        getCount,
        putCount,
        misses,
        errors,
        seconds,
        gets,
        puts,
        cost.cpuSeconds(),
        cost.waitSeconds(),
        serverCpu,
        cost.wakeupsPer(getCount + putCount),
        cost.datagramsPer(getCount + putCount));
  }

  /**
   * Lets the workers run unmeasured for the workload's warm-up, then on while this JVM's JIT
   * compiler is still busy ({@link JitWarmup#continueWhileBusy}): with the fixed warm-up alone, a
   * first Felix run still shared the cores with C2 and ran at about half the later runs' rate
   * (docs/benchmarks.md). None with a warm-up of 0.
   */
  private void warmUp(CacheTarget target, CacheWorkload workload) throws InterruptedException {
    if (workload.warmupSeconds() == 0) {
      return;
    }
    String label = target.name() + " " + workload.name();
    progress.accept(label + ": warming up " + workload.warmupSeconds() + " s");
    long start = System.nanoTime();
    JitWarmup jit = JitWarmup.ofThisJvm();
    TimeUnit.SECONDS.sleep(workload.warmupSeconds());
    double lastFraction =
        jit.continueWhileBusy(() -> TimeUnit.SECONDS.sleep(JitWarmup.SLICE_SECONDS));
    progress.accept(
        label + ": " + JitWarmup.doneLine((System.nanoTime() - start) / 1e9, lastFraction));
  }

  private static double serverCpuSeconds(OptionalLong pid) {
    return pid.isPresent() ? ProcessStats.cpuSecondsOf(pid.getAsLong()) : Double.NaN;
  }

  static Histogram newHistogram() {
    return new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
  }

  /** One closed-loop client thread. Counters are read by the progress line (volatile enough). */
  private static final class WorkerLoop {
    private final CacheTarget.Worker worker;
    private final List<byte[]> keys;
    private final byte[] value;
    private final CacheWorkload workload;
    private final AtomicBoolean measuring;
    private final AtomicBoolean stop;
    private final SplittableRandom random;
    final Histogram getLatency = newHistogram();
    final Histogram putLatency = newHistogram();
    volatile long gets;
    volatile long puts;
    long misses;
    long errors;

    WorkerLoop(
        CacheTarget.Worker worker,
        List<byte[]> keys,
        byte[] value,
        CacheWorkload workload,
        AtomicBoolean measuring,
        AtomicBoolean stop,
        int seed) {
      this.worker = worker;
      this.keys = keys;
      this.value = value;
      this.workload = workload;
      this.measuring = measuring;
      this.stop = stop;
      this.random = new SplittableRandom(0x5EED + seed);
    }

    long operations() {
      return gets + puts;
    }

    void run() {
      try (worker) {
        while (!stop.get()) {
          byte[] key = keys.get(random.nextInt(keys.size()));
          boolean get = random.nextInt(100) < workload.getPercent();
          long started = System.nanoTime();
          boolean hit = true;
          try {
            if (get) {
              hit = worker.get(key);
            } else {
              worker.put(key, value);
            }
          } catch (RuntimeException e) {
            if (measuring.get()) {
              errors++;
            }
            continue;
          }
          long took = System.nanoTime() - started;
          if (!measuring.get()) {
            continue;
          }
          if (get) {
            getLatency.recordValue(Math.min(took, getLatency.getHighestTrackableValue()));
            gets++;
            if (!hit) {
              misses++;
            }
          } else {
            putLatency.recordValue(Math.min(took, putLatency.getHighestTrackableValue()));
            puts++;
          }
        }
      }
    }
  }
}
