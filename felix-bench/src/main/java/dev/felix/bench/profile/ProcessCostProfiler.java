package dev.felix.bench.profile;

import dev.felix.transport.UdpDatagrams;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * What an operation costs the machine: the benchmark process's CPU time per operation (calling
 * threads and every I/O and server thread the benchmark started, on every core) and the machine's
 * received UDP datagrams per operation ({@link UdpDatagrams}), over each iteration. JMH's own
 * figures time the calling threads only; a benchmark whose work happens on other threads (a server,
 * an event loop) needs these to be compared with a peer. Operations per second are not reported:
 * the span between JMH's iteration callbacks includes its thread synchronisation, so with N
 * closed-loop threads take N / the mean time per operation instead.
 *
 * <pre>
 * java -jar benchmarks.jar CallShapeBenchmark -prof dev.felix.bench.profile.ProcessCostProfiler
 * </pre>
 */
public final class ProcessCostProfiler implements InternalProfiler {
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private long cpuNanosBefore;
  private long datagramsBefore;

  @Override
  public String getDescription() {
    return "process CPU time and UDP datagrams per operation";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmark, IterationParams iteration) {
    datagramsBefore = UdpDatagrams.receivedSoFar();
    cpuNanosBefore = os.getProcessCpuTime();
  }

  @Override
  public List<? extends Result<?>> afterIteration(
      BenchmarkParams benchmark, IterationParams iteration, IterationResult result) {
    long cpuNanos = os.getProcessCpuTime() - cpuNanosBefore;
    long datagrams = UdpDatagrams.receivedSoFar() - datagramsBefore;
    double operations = Math.max(1, result.getMetadata().getAllOps());
    return List.of(
        new ScalarResult(
            "process.cpu", cpuNanos / 1e3 / operations, "us/op", AggregationPolicy.AVG),
        new ScalarResult(
            "udp.datagrams", datagrams / operations, "datagrams/op", AggregationPolicy.AVG));
  }
}
