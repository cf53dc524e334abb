package dev.felix.loadgen;

import dev.felix.client.Felix;
import dev.felix.client.FelixClient;
import dev.felix.client.FelixOptions;
import dev.felix.client.OutgoingMessage;
import dev.felix.client.ReceivedRecord;
import dev.felix.client.RecordListener;
import dev.felix.client.SubscribeOptions;
import dev.felix.client.Subscription;
import dev.felix.wire.message.AckMode;
import dev.felix.wire.message.StreamRef;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Runs a {@link ScaleShape} (BENCH.md W6) against a broker: opens the subscriber connections and
 * their subscriptions (from latest), then publishes to every stream at its fixed rate from one
 * connection, timing each message from its intended send time (coordinated omission corrected), and
 * samples the broker's memory and CPU through {@link BrokerGauges} every few seconds.
 *
 * <p>Why not {@link SubscriberProbe} per subscription: its histogram costs tens of kilobytes, and
 * 10,000 of them would make the load generator, not the broker, the memory story. Subscriptions
 * share one {@link Recorder} (safe for concurrent writers) and keep only their next expected
 * sequence.
 */
public final class ScaleRunner {
  private static final long SAMPLE_EVERY_MS = 5_000;
  private static final int MAX_UNACKED = 8192;

  private final FelixOptions options;
  private final BrokerGauges gauges;
  private final Consumer<String> progress;

  /** {@code gauges} may be null when the broker's metrics are unreachable (figures then -1). */
  public ScaleRunner(FelixOptions options, BrokerGauges gauges, Consumer<String> progress) {
    this.options = options;
    this.gauges = gauges;
    this.progress = progress;
  }

  public ScaleResult run(ScaleShape shape, Duration drainTimeout) throws Exception {
    String prefix = "scale-" + Long.toHexString(System.nanoTime()) + "-";
    StreamRef[] streams = new StreamRef[shape.streams()];
    for (int s = 0; s < streams.length; s++) {
      streams[s] = StreamRef.of(prefix + s);
    }
    long[] subscribersOf = new long[shape.streams()];
    Deliveries deliveries = new Deliveries();
    List<FelixClient> connections = new ArrayList<>();
    List<Subscription> subscriptions = new ArrayList<>();
    BrokerMemoryWatch memory = new BrokerMemoryWatch(gauges);
    try {
      memory.sample();
      long subscribeStart = System.nanoTime();
      for (int c = 0; c < shape.connections(); c++) {
        // Two shared listener threads per connection, not a thread per subscription: 10,000
        // listener threads would make the load generator, not the broker, the bottleneck.
        FelixClient client =
            Felix.connect(
                options.toBuilder().clientName("bench-scale-" + c).listenerThreads(2).build());
        connections.add(client);
        for (int j = 0; j < shape.subscriptionsPerConnection(); j++) {
          int stream = shape.streamOf(c, j);
          subscribersOf[stream]++;
          subscriptions.add(
              client.subscribe(
                  streams[stream], SubscribeOptions.latest(), new SubscriptionProbe(deliveries)));
        }
        progress.accept(
            String.format(
                Locale.ROOT,
                "W6  subscribing: %,d of %,d",
                subscriptions.size(),
                shape.subscriptions()));
      }
      double subscribeSeconds = (System.nanoTime() - subscribeStart) / 1e9;
      memory.sample();
      FelixClient publisher =
          Felix.connect(options.toBuilder().clientName("bench-scale-pub").build());
      connections.add(publisher);
      memory.sampleEvery(SAMPLE_EVERY_MS);
      long start = System.nanoTime();
      deliveries.measureFrom = start + TimeUnit.SECONDS.toNanos(shape.warmupSeconds());
      long published = publish(publisher, streams, shape, start, deliveries, subscribersOf);
      long expected = deliveries.expected.get();
      long deadline = System.nanoTime() + drainTimeout.toNanos();
      while (deliveries.received.get() < expected && System.nanoTime() < deadline) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
      }
      memory.close();
      memory.sample();
      Histogram latency = deliveries.latencyNanos.getIntervalHistogram();
      return new ScaleResult(
          shape,
          published,
          deliveries.received.get(),
          expected,
          deliveries.outOfOrder.get(),
          deliveries.publishErrors.get(),
          subscribeSeconds,
          latency.getTotalCount(),
          latency.getValueAtPercentile(50) / 1e3,
          latency.getValueAtPercentile(99) / 1e3,
          latency.getValueAtPercentile(99.9) / 1e3,
          latency.getMaxValue() / 1e3,
          memory.peakRssBytes(),
          memory.lastRssBytes(),
          memory.peakHeapBytes(),
          memory.cpuSeconds());
    } finally {
      memory.close();
      for (Subscription subscription : subscriptions) {
        subscription.close();
      }
      for (FelixClient connection : connections) {
        connection.close();
      }
    }
  }

  // Each future only releases a permit; a failed publish surfaces as loss.
  @SuppressWarnings("FutureReturnValueIgnored")
  private long publish(
      FelixClient publisher,
      StreamRef[] streams,
      ScaleShape shape,
      long start,
      Deliveries deliveries,
      long[] subscribersOf)
      throws InterruptedException {
    long interval = 1_000_000_000L / shape.publishRate();
    Pacing pacing = new Pacing(start, interval);
    long total = shape.publishRate() * (long) (shape.warmupSeconds() + shape.durationSeconds());
    Semaphore unacked = new Semaphore(MAX_UNACKED);
    long lastReport = start;
    for (long n = 0; n < total; n++) {
      int stream = (int) (n % streams.length);
      long sequence = n / streams.length;
      long sendTime = pacing.awaitTurn(n);
      unacked.acquire();
      long subscribers = subscribersOf[stream];
      deliveries.expected.addAndGet(subscribers);
      publisher
          .publishAsync(
              OutgoingMessage.builder(streams[stream])
                  .payload(Pacing.payload(shape.payloadBytes(), sendTime, sequence))
                  .ackMode(AckMode.LEADER)
                  .build())
          .whenComplete(
              (receipt, failure) -> {
                if (failure != null) {
                  // Refused or unanswered: counted, and not expected at the subscribers (it
                  // may still arrive, which then shows as more deliveries than expected).
                  deliveries.publishErrors.incrementAndGet();
                  deliveries.expected.addAndGet(-subscribers);
                }
                unacked.release();
              });
      long now = System.nanoTime();
      if (now - lastReport > 1_000_000_000L) {
        lastReport = now;
        progress.accept(
            String.format(
                Locale.ROOT,
                "W6  %.0fs of %d  published %,d  delivered %,d of %,d",
                (now - start) / 1e9,
                shape.warmupSeconds() + shape.durationSeconds(),
                n + 1,
                deliveries.received.get(),
                deliveries.expected.get()));
      }
    }
    // Every answer (or its timeout) is in before the deliveries are judged.
    unacked.tryAcquire(MAX_UNACKED, 60, TimeUnit.SECONDS);
    return total;
  }

  /** What every subscription of a run adds to. */
  private static final class Deliveries {
    final Recorder latencyNanos = new Recorder(3_600_000_000_000L, 3);
    final AtomicLong received = new AtomicLong();
    final AtomicLong expected = new AtomicLong();
    final AtomicLong outOfOrder = new AtomicLong();
    final AtomicLong publishErrors = new AtomicLong();
    volatile long measureFrom = Long.MAX_VALUE;
  }

  /** One subscription: its next expected sequence and the shared counters. */
  private static final class SubscriptionProbe implements RecordListener {
    private final Deliveries deliveries;
    private long expectedSequence;

    SubscriptionProbe(Deliveries deliveries) {
      this.deliveries = deliveries;
    }

    @Override
    public void onRecord(ReceivedRecord record) {
      long now = System.nanoTime();
      ByteBuffer payload = record.payload().asReadOnlyBuffer();
      long sentNanos = payload.getLong(0);
      long sequence = payload.getLong(8);
      // Below the next expected: reordered or repeated. Above it is a gap (a refused publish,
      // counted apart), not reordering (SubscriberProbe, the same rule).
      if (sequence < expectedSequence) {
        deliveries.outOfOrder.incrementAndGet();
      } else {
        expectedSequence = sequence + 1;
      }
      if (sentNanos >= deliveries.measureFrom) {
        deliveries.latencyNanos.recordValue(Math.max(0, now - sentNanos));
      }
      deliveries.received.incrementAndGet();
    }
  }
}
