package dev.felix.loadgen;

import java.util.Locale;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Publish-to-acknowledgement latency (BENCH.md W5 asks for it): the time from {@code publishAsync}
 * to its future completing, as the application sees it (on the client's callback thread), for every
 * {@link #SAMPLE_EVERY}-th publish. Sampled because a callback on every record costs the publishing
 * side more than the publish (LoadRunner); one in 16 still gives 62,500 samples in a W1 run.
 *
 * @param samples acknowledgements measured; 0 when none were (ack mode none, a peer without acks)
 * @param p50Micros median, NaN without samples
 * @param p99Micros 99th percentile, NaN without samples
 */
public record AckLatency(long samples, double p50Micros, double p99Micros) {
  /** Every how many publishes one is timed. */
  public static final int SAMPLE_EVERY = 16;

  /** Nothing measured. */
  public static final AckLatency NONE = new AckLatency(0, Double.NaN, Double.NaN);

  /** Collects samples from any thread (callback threads of several publishers). */
  static final class Recorder {
    private final Histogram nanos = new ConcurrentHistogram(3_600_000_000_000L, 3);

    void record(long publishedNanos, long acknowledgedNanos) {
      nanos.recordValue(
          Math.min(
              Math.max(0, acknowledgedNanos - publishedNanos), nanos.getHighestTrackableValue()));
    }

    AckLatency summary() {
      if (nanos.getTotalCount() == 0) {
        return NONE;
      }
      return new AckLatency(
          nanos.getTotalCount(),
          nanos.getValueAtPercentile(50) / 1e3,
          nanos.getValueAtPercentile(99) / 1e3);
    }
  }

  /** {@code acks us p50 812 p99 2,304 (every 16th publish, 62,500 samples)}; empty if none. */
  String line() {
    if (samples == 0) {
      return "";
    }
    return String.format(
        Locale.ROOT,
        "acks us      p50 %.0f  p99 %.0f (publish to acknowledgement, every %dth publish, %,d"
            + " samples)%n",
        p50Micros,
        p99Micros,
        SAMPLE_EVERY,
        samples);
  }

  /**
   * The JSON fields, without braces: {@code "ackP50Micros":..,"ackP99Micros":..} (null if none).
   */
  String jsonFields() {
    return "\"ackP50Micros\":"
        + JsonFields.number(p50Micros)
        + ",\"ackP99Micros\":"
        + JsonFields.number(p99Micros);
  }
}
