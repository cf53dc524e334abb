package dev.felix.loadgen;

/**
 * The shape of a scale run (BENCH.md W6): many subscriptions on few connections, each subscription
 * receiving a trickle, for minutes. What it measures is what a low rate hides elsewhere: memory per
 * subscription and stream, and the delivery latency of a broker juggling thousands of cursors.
 *
 * <p>Subscription {@code j} of connection {@code c} reads stream {@code (c * perConnection + j) %
 * streams}. With the W6 defaults (100 connections x 100 subscriptions, 100 streams) every
 * connection subscribes to every stream; with {@code streams = 10,000} every subscription has a
 * stream of its own.
 *
 * @param connections subscriber connections
 * @param subscriptionsPerConnection subscriptions each connection holds
 * @param streams streams the subscriptions spread over; each receives {@code ratePerStream} msg/s
 * @param ratePerStream messages per second published to each stream (so per subscription)
 * @param payloadBytes payload size (at least 16: send time and sequence live inside)
 * @param warmupSeconds seconds of the same load before latency counts
 * @param durationSeconds measured seconds
 */
public record ScaleShape(
    int connections,
    int subscriptionsPerConnection,
    int streams,
    int ratePerStream,
    int payloadBytes,
    int warmupSeconds,
    int durationSeconds) {

  /** BENCH.md W6: 10,000 subscriptions over 100 connections, 1 msg/s each, 10 minutes. */
  public static final ScaleShape W6 = new ScaleShape(100, 100, 100, 1, 100, 10, 600);

  public ScaleShape {
    require("connections", connections, 1, 10_000);
    require("subscriptionsPerConnection", subscriptionsPerConnection, 1, 1_000);
    require("streams", streams, 1, 100_000);
    require("ratePerStream", ratePerStream, 1, 1_000);
    require("payloadBytes", payloadBytes, 16, 1 << 20);
    require("warmupSeconds", warmupSeconds, 0, 3_600);
    require("durationSeconds", durationSeconds, 1, 86_400);
    if ((long) streams * ratePerStream > 1_000_000) {
      throw new IllegalArgumentException("streams x ratePerStream must be <= 1,000,000 msg/s");
    }
  }

  public int subscriptions() {
    return connections * subscriptionsPerConnection;
  }

  /** The stream subscription {@code index} of connection {@code connection} reads. */
  public int streamOf(int connection, int index) {
    return (int) (((long) connection * subscriptionsPerConnection + index) % streams);
  }

  /** Messages per second over all streams. */
  public long publishRate() {
    return (long) streams * ratePerStream;
  }

  public ScaleShape withConnections(int value) {
    return new ScaleShape(
        value,
        subscriptionsPerConnection,
        streams,
        ratePerStream,
        payloadBytes,
        warmupSeconds,
        durationSeconds);
  }

  public ScaleShape withStreams(int value) {
    return new ScaleShape(
        connections,
        subscriptionsPerConnection,
        value,
        ratePerStream,
        payloadBytes,
        warmupSeconds,
        durationSeconds);
  }

  public ScaleShape withDuration(int warmup, int measured) {
    return new ScaleShape(
        connections,
        subscriptionsPerConnection,
        streams,
        ratePerStream,
        payloadBytes,
        warmup,
        measured);
  }

  private static void require(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " must be " + min + "-" + max + ": " + value);
    }
  }
}
