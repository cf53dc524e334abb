package dev.felix.loadgen;

import dev.felix.server.config.HeapBudgets;
import java.util.Locale;

/**
 * The service-level objectives of docs/slo.md as checks on one run's figures: each names the
 * workload, what is compared and the bound, and says whether the run met it. Ratios are always
 * Felix against a peer measured in the same run (these machines are shared and noisy).
 *
 * @param name e.g. "W1 throughput"
 * @param measured the run's value (a ratio or microseconds)
 * @param bound the objective
 * @param atLeast true: measured must be >= bound; false: <= bound
 * @param unit "x" for ratios, "us" for latency
 */
public record Slo(String name, double measured, double bound, boolean atLeast, String unit) {
  public boolean met() {
    return atLeast ? measured >= bound : measured <= bound;
  }

  /** {@code SLO W1 throughput vs NATS >= 1.00x: 0.41x FAIL}. */
  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "SLO %s %s %.2f%s: %.2f%s %s",
        name,
        atLeast ? ">=" : "<=",
        bound,
        unit,
        measured,
        unit,
        met() ? "met" : "NOT MET");
  }

  /**
   * W1/W2: deliveries per second at least the peer's (BENCH.md: NATS, then the faster of NATS and
   * Redis pub/sub).
   *
   * @param peerLabel "NATS" or "Redis"
   */
  public static Slo throughputVsPeer(
      Workload workload, LoadResult felix, LoadResult peer, String peerLabel) {
    return new Slo(
        workload.name() + " deliveries/s vs " + peerLabel,
        felix.deliveriesPerSecond() / peer.deliveriesPerSecond(),
        1.0,
        true,
        "x");
  }

  /** W3: p99.9 publish-to-deliver at most 1 ms. */
  public static Slo tailLatency(Workload workload, LoadResult felix) {
    return new Slo(workload.name() + " p99.9 latency", felix.p999Micros(), 1_000, false, "us");
  }

  /** W3: p99 no worse than NATS's. */
  public static Slo p99VsNats(Workload workload, LoadResult felix, LoadResult nats) {
    return new Slo(
        workload.name() + " p99 vs NATS", felix.p99Micros() / nats.p99Micros(), 1.0, false, "x");
  }

  /** W4: ops per second at least Redis's. */
  public static Slo cacheThroughputVsRedis(double felixOps, double redisOps) {
    return new Slo("W4 ops/s vs Redis", felixOps / redisOps, 1.0, true, "x");
  }

  /** W4: get p99 no worse than Redis's. */
  public static Slo cacheP99VsRedis(double felixP99, double redisP99) {
    return new Slo("W4 get p99 vs Redis", felixP99 / redisP99, 1.0, false, "x");
  }

  /** W5: durable W1 at least 0.7x memory W1. */
  public static Slo durableVsMemory(double durable, double memory) {
    return new Slo("W5 durable vs memory deliveries/s", durable / memory, 0.7, true, "x");
  }

  /** W6: the broker's peak RSS under 1 GiB (BENCH.md). */
  public static Slo scaleRss(ScaleResult result) {
    return new Slo(
        "W6 broker peak RSS", result.brokerPeakRssBytes() / (1024.0 * 1024.0), 1024, false, "MiB");
  }

  /**
   * Memory (BENCH.md: "the broker never exceeds its configured heap under W1-W7"): the heap still
   * in use after a full collection, at its highest over the workloads, at most the share of the
   * maximum heap that the broker's own budgets may claim before it warns at start-up (streams and
   * caches together, {@link HeapBudgets#COMBINED_SHARE_WARNING}); beyond it a broker is one burst
   * away from running out.
   */
  public static Slo liveHeap(long peakLiveBytes, long maxHeapBytes) {
    return new Slo(
        "MEM broker live heap vs max",
        (double) peakLiveBytes / maxHeapBytes,
        HeapBudgets.COMBINED_SHARE_WARNING,
        false,
        "x");
  }

  /**
   * The same objective over several runs: the median of the runs' measured values (each run's ratio
   * is against the peer of that same run).
   */
  public static Slo median(java.util.List<Slo> runs) {
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("no runs");
    }
    double[] values = runs.stream().mapToDouble(Slo::measured).sorted().toArray();
    Slo first = runs.get(0);
    return new Slo(first.name, values[values.length / 2], first.bound, first.atLeast, first.unit);
  }
}
