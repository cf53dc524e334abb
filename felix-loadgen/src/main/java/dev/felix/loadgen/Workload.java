package dev.felix.loadgen;

import dev.felix.wire.message.AckMode;
import java.util.Locale;

/**
 * One load shape. Throughput mode ({@code ratePerSecond == 0}) publishes {@code messages} as fast
 * as flow control allows; rate mode publishes at a fixed rate for {@code durationSeconds} and
 * measures latency from each message's <em>intended</em> send time, which corrects for coordinated
 * omission (a stalled sender does not hide the stall from the histogram).
 *
 * @param name e.g. W1
 * @param subscribers subscriber connections, each with one subscription
 * @param payloadBytes payload size (at least 16: a send timestamp and a sequence live inside)
 * @param messages messages to publish in throughput mode
 * @param ratePerSecond fixed publish rate, 0 for throughput mode
 * @param durationSeconds length of a rate-mode run
 * @param ackMode ack mode of the publisher
 * @param publishers publisher connections sharing the messages (and the rate) round robin
 * @param batchRecords most records per publish batch of each publisher; 0 for the client default
 */
public record Workload(
    String name,
    int subscribers,
    int payloadBytes,
    long messages,
    int ratePerSecond,
    int durationSeconds,
    AckMode ackMode,
    int publishers,
    int batchRecords) {

  /** Most publishers of a run: the sequence in each payload keeps the publisher in 8 bits. */
  public static final int MAX_PUBLISHERS = 64;

  /** A workload with one publisher and the client's default batching. */
  public Workload(
      String name,
      int subscribers,
      int payloadBytes,
      long messages,
      int ratePerSecond,
      int durationSeconds,
      AckMode ackMode) {
    this(name, subscribers, payloadBytes, messages, ratePerSecond, durationSeconds, ackMode, 1, 0);
  }

  public Workload {
    if (subscribers < 1 || subscribers > 1000) {
      throw new IllegalArgumentException("subscribers must be 1-1000: " + subscribers);
    }
    if (payloadBytes < 16) {
      throw new IllegalArgumentException("payload must be at least 16 bytes: " + payloadBytes);
    }
    if (ratePerSecond < 0 || (ratePerSecond == 0 && messages < 1)) {
      throw new IllegalArgumentException("need messages > 0 or a rate");
    }
    if (publishers < 1 || publishers > MAX_PUBLISHERS) {
      throw new IllegalArgumentException(
          "publishers must be 1-" + MAX_PUBLISHERS + ": " + publishers);
    }
    if (batchRecords < 0) {
      throw new IllegalArgumentException("batch records must be >= 0: " + batchRecords);
    }
  }

  public boolean fixedRate() {
    return ratePerSecond > 0;
  }

  /** Messages a run publishes. */
  public long totalMessages() {
    return fixedRate() ? (long) ratePerSecond * durationSeconds : messages;
  }

  /** The BENCH.md workloads this version runs. */
  public static Workload named(String name) {
    return switch (name.toUpperCase(Locale.ROOT)) {
      case "W1" -> new Workload("W1", 1, 100, 1_000_000, 0, 0, AckMode.LEADER);
      case "W2" -> new Workload("W2", 10, 100, 200_000, 0, 0, AckMode.LEADER);
      case "W3" -> new Workload("W3", 1, 100, 0, 20_000, 10, AckMode.LEADER);
      case "W3-10" -> new Workload("W3-10", 10, 100, 0, 20_000, 10, AckMode.LEADER);
      default ->
          throw new IllegalArgumentException(
              "unknown workload " + name + " (this version runs W1, W2, W3, W3-10)");
    };
  }

  public Workload withMessages(long value) {
    return new Workload(
        name,
        subscribers,
        payloadBytes,
        value,
        ratePerSecond,
        durationSeconds,
        ackMode,
        publishers,
        batchRecords);
  }

  public Workload withSubscribers(int value) {
    return new Workload(
        name,
        value,
        payloadBytes,
        messages,
        ratePerSecond,
        durationSeconds,
        ackMode,
        publishers,
        batchRecords);
  }

  public Workload withPayloadBytes(int value) {
    return new Workload(
        name,
        subscribers,
        value,
        messages,
        ratePerSecond,
        durationSeconds,
        ackMode,
        publishers,
        batchRecords);
  }

  public Workload withRate(int perSecond, int seconds) {
    return new Workload(
        name,
        subscribers,
        payloadBytes,
        messages,
        perSecond,
        seconds,
        ackMode,
        publishers,
        batchRecords);
  }

  /** The same shape with another publisher ack mode. */
  public Workload withAckMode(AckMode value) {
    return new Workload(
        name,
        subscribers,
        payloadBytes,
        messages,
        ratePerSecond,
        durationSeconds,
        value,
        publishers,
        batchRecords);
  }

  /** The same shape from {@code count} publisher connections (messages dealt round robin). */
  public Workload withPublishers(int count) {
    return new Workload(
        name,
        subscribers,
        payloadBytes,
        messages,
        ratePerSecond,
        durationSeconds,
        ackMode,
        count,
        batchRecords);
  }

  /** The same shape with at most {@code records} per publish batch (0: client default). */
  public Workload withBatchRecords(int records) {
    return new Workload(
        name,
        subscribers,
        payloadBytes,
        messages,
        ratePerSecond,
        durationSeconds,
        ackMode,
        publishers,
        records);
  }
}
