package dev.felix.loadgen;

import dev.felix.transport.UdpDatagrams;
import java.util.Locale;

/**
 * What one run measured.
 *
 * @param workload the shape that ran
 * @param published messages published
 * @param deliveries records received over all subscribers
 * @param expectedDeliveries published x subscribers
 * @param outOfOrder records that arrived after a later one of their publisher, or twice (a gap is
 *     loss, counted in {@code deliveries})
 * @param seconds from the first publish to the last delivery
 * @param p50Micros latency percentiles in microseconds (publish -> deliver)
 * @param p90Micros 90th percentile
 * @param p99Micros 99th percentile
 * @param p999Micros 99.9th percentile
 * @param maxMicros maximum
 * @param processCpuSeconds CPU time of this JVM during the run (broker included when embedded)
 * @param cpuWaitSeconds time this JVM's threads were ready to run but waited for a CPU during the
 *     run ({@link RunQueueWait}); NaN where the kernel does not report it
 * @param wakeupsPerMessage times this JVM's threads were scheduled during the run per published
 *     message ({@link RunQueueWait}): the thread hand-offs a message costs; NaN where unknown
 * @param datagramsPerMessage UDP datagrams this machine received during the run per published
 *     message ({@link UdpDatagrams}): over loopback, the packets a message costs (none over TCP);
 *     NaN where unknown
 * @param rssBytes resident set size of this JVM at the end
 * @param acks publish-to-acknowledgement latency, sampled; {@link AckLatency#NONE} without acks
 * @param publishErrors publishes that failed (refused by the broker, timed out); their records
 *     count as lost deliveries
 * @param publishError the first failure's code and text (the cause of a refusal, e.g. a memory
 *     budget spent), or null when none failed
 */
public record LoadResult(
    Workload workload,
    long published,
    long deliveries,
    long expectedDeliveries,
    long outOfOrder,
    double seconds,
    double p50Micros,
    double p90Micros,
    double p99Micros,
    double p999Micros,
    double maxMicros,
    double processCpuSeconds,
    double cpuWaitSeconds,
    double wakeupsPerMessage,
    double datagramsPerMessage,
    long rssBytes,
    AckLatency acks,
    long publishErrors,
    String publishError) {

  public long lost() {
    return expectedDeliveries - deliveries;
  }

  public double deliveriesPerSecond() {
    return deliveries / seconds;
  }

  public double megabytesPerSecond() {
    return deliveriesPerSecond() * workload.payloadBytes() / 1e6;
  }

  /** A human-readable table. */
  public String table() {
    return String.format(
        Locale.ROOT,
        "workload     %s (%d subscriber(s), %d-byte payloads%s)%n"
            + "published    %,d%n"
            + "deliveries   %,d of %,d (lost %,d, out of order %,d)%n"
            + "throughput   %,.0f deliveries/s, %.1f MB/s over %.2f s%n"
            + "latency us   p50 %.0f  p90 %.0f  p99 %.0f  p99.9 %.0f  max %.0f%n"
            + "%s"
            + "process      cpu %.1f s, waited %s for a CPU, rss %d MiB%n"
            + "%s%s",
        workload.name(),
        workload.subscribers(),
        workload.payloadBytes(),
        workload.fixedRate() ? ", " + workload.ratePerSecond() + " msg/s" : "",
        published,
        deliveries,
        expectedDeliveries,
        lost(),
        outOfOrder,
        deliveriesPerSecond(),
        megabytesPerSecond(),
        seconds,
        p50Micros,
        p90Micros,
        p99Micros,
        p999Micros,
        maxMicros,
        acks.line(),
        processCpuSeconds,
        RunQueueWait.describe(cpuWaitSeconds),
        rssBytes / (1024 * 1024),
        costLine(),
        publishErrorLine());
  }

  /** {@code per message 12.8 thread wake-ups, 7.7 UDP datagrams}, or nothing when unknown. */
  String costLine() {
    String counts = CostSnapshot.describeCounts(wakeupsPerMessage, datagramsPerMessage);
    return counts.isEmpty() ? "" : "per message  " + counts + String.format("%n");
  }

  /** {@code publish 12 failed ...} when publishes failed, or nothing. */
  String publishErrorLine() {
    return publishErrors == 0
        ? ""
        : String.format(
            Locale.ROOT,
            "publish      %,d failed (counted as lost), the first with %s%n",
            publishErrors,
            publishError);
  }

  /** One JSON object, for machines (a Felix run). */
  public String json() {
    return json("felix");
  }

  /** One JSON object naming what was measured ({@code felix}, {@code nats}). */
  public String json(String target) {
    return String.format(
        Locale.ROOT,
        "{\"target\":\"%s\",\"workload\":\"%s\",\"subscribers\":%d,\"payloadBytes\":%d,\"ratePerSecond\":%d,"
            + "\"published\":%d,\"deliveries\":%d,\"lost\":%d,\"outOfOrder\":%d,\"seconds\":%.3f,"
            + "\"deliveriesPerSecond\":%.1f,\"megabytesPerSecond\":%.2f,\"p50Micros\":%.1f,"
            + "\"p90Micros\":%.1f,\"p99Micros\":%.1f,\"p999Micros\":%.1f,\"maxMicros\":%.1f,"
            + "%s,\"processCpuSeconds\":%.2f,\"cpuWaitSeconds\":%s,\"wakeupsPerMessage\":%s,"
            + "\"datagramsPerMessage\":%s,\"rssBytes\":%d,\"publishErrors\":%d,"
            + "\"publishError\":%s}",
        target,
        workload.name(),
        workload.subscribers(),
        workload.payloadBytes(),
        workload.ratePerSecond(),
        published,
        deliveries,
        lost(),
        outOfOrder,
        seconds,
        deliveriesPerSecond(),
        megabytesPerSecond(),
        p50Micros,
        p90Micros,
        p99Micros,
        p999Micros,
        maxMicros,
        acks.jsonFields(),
        processCpuSeconds,
        JsonFields.number(cpuWaitSeconds),
        JsonFields.fraction(wakeupsPerMessage),
        JsonFields.fraction(datagramsPerMessage),
        rssBytes,
        publishErrors,
        JsonFields.string(publishError));
  }
}
