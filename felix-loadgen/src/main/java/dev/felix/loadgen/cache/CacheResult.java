package dev.felix.loadgen.cache;

import dev.felix.loadgen.CostSnapshot;
import dev.felix.loadgen.JsonFields;
import dev.felix.loadgen.RunQueueWait;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * What one cache run measured. Latencies are per call as the client thread saw it (closed loop: a
 * slow call delays that thread's next call, so this is service time, not corrected for coordinated
 * omission; the ops/s figure shows the stall instead).
 *
 * <p>CPU is counted over the measured window only (not the preload or the warm-up), for this JVM
 * (the client threads, and the broker when it is embedded) and for the server process given to the
 * runner (redis-server; a Felix broker in another process), so that the cost of one operation can
 * be compared: {@link #cpuMicrosPerOp()}.
 *
 * @param cpuSeconds this JVM's CPU time during the measured window
 * @param cpuWaitSeconds how long this JVM's threads waited for a CPU meanwhile ({@link
 *     dev.felix.loadgen.RunQueueWait}); NaN where the kernel does not report it
 * @param serverCpuSeconds the server process's CPU time meanwhile; NaN when none was given or it
 *     could not be read
 * @param wakeupsPerOp times this JVM's threads were scheduled meanwhile, per operation ({@link
 *     dev.felix.loadgen.CostSnapshot}); NaN where unknown
 * @param datagramsPerOp UDP datagrams this machine received meanwhile, per operation; NaN where
 *     unknown
 */
public record CacheResult(
    String target,
    CacheWorkload workload,
    long gets,
    long puts,
    long misses,
    long errors,
    double seconds,
    Histogram getLatencyNanos,
    Histogram putLatencyNanos,
    double cpuSeconds,
    double cpuWaitSeconds,
    double serverCpuSeconds,
    double wakeupsPerOp,
    double datagramsPerOp) {

  public double opsPerSecond() {
    return (gets + puts) / seconds;
  }

  /**
   * CPU time per operation, in microseconds: this JVM's plus the server process's when it was
   * measured. NaN when this JVM's CPU time is unknown or nothing was done.
   */
  public double cpuMicrosPerOp() {
    long operations = gets + puts;
    if (operations == 0 || Double.isNaN(cpuSeconds)) {
      return Double.NaN;
    }
    double server = Double.isNaN(serverCpuSeconds) ? 0 : serverCpuSeconds;
    return (cpuSeconds + server) * 1e6 / operations;
  }

  /**
   * {@code process cpu 15.6 s, waited 12.5 s for a CPU[, server process cpu 7.0 s]; 55.3 us of CPU
   * per op[; 4.1 thread wake-ups, 1.1 UDP datagrams per op]}.
   */
  public String costLine() {
    String server =
        Double.isNaN(serverCpuSeconds)
            ? ""
            : String.format(Locale.ROOT, ", server process cpu %.1f s", serverCpuSeconds);
    String counts = CostSnapshot.describeCounts(wakeupsPerOp, datagramsPerOp);
    return String.format(
        Locale.ROOT,
        "       process cpu %.1f s, waited %s for a CPU%s; %.1f us of CPU per op%s%n",
        cpuSeconds,
        RunQueueWait.describe(cpuWaitSeconds),
        server,
        cpuMicrosPerOp(),
        counts.isEmpty() ? "" : "; " + counts + " per op");
  }

  private static double micros(Histogram histogram, double percentile) {
    return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1000.0;
  }

  public double getP50Micros() {
    return micros(getLatencyNanos, 50);
  }

  public double getP99Micros() {
    return micros(getLatencyNanos, 99);
  }

  public double putP50Micros() {
    return micros(putLatencyNanos, 50);
  }

  public double putP99Micros() {
    return micros(putLatencyNanos, 99);
  }

  public String table() {
    return String.format(
            Locale.ROOT,
            "%-6s %s  %,10.0f ops/s  get p50 %7.1f us p99 %7.1f us p99.9 %7.1f us  put p50 %7.1f us"
                + " p99 %7.1f us  misses %d errors %d%n",
            target,
            workload.name(),
            opsPerSecond(),
            getP50Micros(),
            getP99Micros(),
            micros(getLatencyNanos, 99.9),
            putP50Micros(),
            putP99Micros(),
            misses,
            errors)
        + costLine();
  }

  public String json() {
    return String.format(
        Locale.ROOT,
        "{\"target\":\"%s\",\"workload\":\"%s\",\"opsPerSecond\":%.1f,\"gets\":%d,\"puts\":%d,"
            + "\"misses\":%d,\"errors\":%d,\"getP50Us\":%.1f,\"getP99Us\":%.1f,\"getP999Us\":%.1f,"
            + "\"putP50Us\":%.1f,\"putP99Us\":%.1f,\"seconds\":%.2f,\"processCpuSeconds\":%s,"
            + "\"cpuWaitSeconds\":%s,\"serverCpuSeconds\":%s,\"cpuMicrosPerOp\":%s,"
            + "\"wakeupsPerOp\":%s,\"datagramsPerOp\":%s}",
        target,
        workload.name(),
        opsPerSecond(),
        gets,
        puts,
        misses,
        errors,
        getP50Micros(),
        getP99Micros(),
        micros(getLatencyNanos, 99.9),
        putP50Micros(),
        putP99Micros(),
        seconds,
        JsonFields.number(cpuSeconds),
        JsonFields.number(cpuWaitSeconds),
        JsonFields.number(serverCpuSeconds),
        JsonFields.number(cpuMicrosPerOp()),
        JsonFields.fraction(wakeupsPerOp),
        JsonFields.fraction(datagramsPerOp));
  }
}
