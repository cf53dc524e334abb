package dev.felix.loadgen;

import java.util.Locale;

/**
 * What one scale run measured. Broker figures come from its {@code /metrics} (-1 when unknown).
 *
 * @param shape the shape that ran
 * @param published messages published (warm-up included)
 * @param deliveries records received over all subscriptions
 * @param expectedDeliveries each published message times its stream's subscriptions
 * @param outOfOrder records that arrived after a later one of their subscription, or twice
 * @param publishErrors publishes refused or unanswered (not expected at the subscribers)
 * @param subscribeSeconds time to open every connection and subscription
 * @param measured deliveries timed (those sent after the warm-up)
 * @param p50Micros publish-to-deliver latency percentiles of the measured deliveries
 * @param p99Micros 99th percentile
 * @param p999Micros 99.9th percentile
 * @param maxMicros maximum
 * @param brokerPeakRssBytes highest broker RSS sampled during the run
 * @param brokerEndRssBytes broker RSS at the end
 * @param brokerPeakHeapBytes highest broker heap in use sampled during the run
 * @param brokerCpuSeconds broker CPU time from the first to the last sample
 */
public record ScaleResult(
    ScaleShape shape,
    long published,
    long deliveries,
    long expectedDeliveries,
    long outOfOrder,
    long publishErrors,
    double subscribeSeconds,
    long measured,
    double p50Micros,
    double p99Micros,
    double p999Micros,
    double maxMicros,
    long brokerPeakRssBytes,
    long brokerEndRssBytes,
    long brokerPeakHeapBytes,
    double brokerCpuSeconds) {

  private static final double MIB = 1024.0 * 1024.0;

  public long lost() {
    return expectedDeliveries - deliveries;
  }

  public String table() {
    return String.format(
        Locale.ROOT,
        "workload     W6 (%,d subscriptions on %d connections over %,d streams, %d msg/s each,"
            + " %d-byte payloads, %d s + %d s warm-up)%n"
            + "subscribed   in %.1f s%n"
            + "published    %,d (errors %,d)%n"
            + "deliveries   %,d of %,d (lost %,d, out of order %,d)%n"
            + "latency us   p50 %.0f  p99 %.0f  p99.9 %.0f  max %.0f  (%,d timed)%n"
            + "broker       rss peak %.0f MiB, end %.0f MiB; heap peak %.0f MiB; cpu %.1f s%n",
        shape.subscriptions(),
        shape.connections(),
        shape.streams(),
        shape.ratePerStream(),
        shape.payloadBytes(),
        shape.durationSeconds(),
        shape.warmupSeconds(),
        subscribeSeconds,
        published,
        publishErrors,
        deliveries,
        expectedDeliveries,
        lost(),
        outOfOrder,
        p50Micros,
        p99Micros,
        p999Micros,
        maxMicros,
        measured,
        brokerPeakRssBytes / MIB,
        brokerEndRssBytes / MIB,
        brokerPeakHeapBytes / MIB,
        brokerCpuSeconds);
  }

  public String json() {
    return String.format(
        Locale.ROOT,
        "{\"target\":\"felix\",\"workload\":\"W6\",\"connections\":%d,\"subscriptions\":%d,"
            + "\"streams\":%d,\"ratePerStream\":%d,\"payloadBytes\":%d,\"durationSeconds\":%d,"
            + "\"published\":%d,\"publishErrors\":%d,\"deliveries\":%d,\"lost\":%d,\"outOfOrder\":%d,"
            + "\"subscribeSeconds\":%.2f,\"p50Micros\":%.1f,\"p99Micros\":%.1f,"
            + "\"p999Micros\":%.1f,\"maxMicros\":%.1f,\"brokerPeakRssBytes\":%d,"
            + "\"brokerEndRssBytes\":%d,\"brokerPeakHeapBytes\":%d,\"brokerCpuSeconds\":%.2f}",
        shape.connections(),
        shape.subscriptions(),
        shape.streams(),
        shape.ratePerStream(),
        shape.payloadBytes(),
        shape.durationSeconds(),
        published,
        publishErrors,
        deliveries,
        lost(),
        outOfOrder,
        subscribeSeconds,
        p50Micros,
        p99Micros,
        p999Micros,
        maxMicros,
        brokerPeakRssBytes,
        brokerEndRssBytes,
        brokerPeakHeapBytes,
        brokerCpuSeconds);
  }
}
