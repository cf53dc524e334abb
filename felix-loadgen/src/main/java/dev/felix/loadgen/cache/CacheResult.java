package dev.felix.loadgen.cache;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * What one cache run measured. Latencies are per call as the client thread saw it (closed loop: a
 * slow call delays that thread's next call, so this is service time, not corrected for coordinated
 * omission; the ops/s figure shows the stall instead).
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
    Histogram putLatencyNanos) {

  public double opsPerSecond() {
    return (gets + puts) / seconds;
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
        errors);
  }

  public String json() {
    return String.format(
        Locale.ROOT,
        "{\"target\":\"%s\",\"workload\":\"%s\",\"opsPerSecond\":%.1f,\"gets\":%d,\"puts\":%d,"
            + "\"misses\":%d,\"errors\":%d,\"getP50Us\":%.1f,\"getP99Us\":%.1f,\"getP999Us\":%.1f,"
            + "\"putP50Us\":%.1f,\"putP99Us\":%.1f,\"seconds\":%.2f}",
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
        seconds);
  }
}
