package dev.felix.loadgen;

import dev.felix.client.Felix;
import dev.felix.client.FelixClient;
import dev.felix.client.FelixOptions;
import dev.felix.client.OutgoingMessage;
import dev.felix.client.PublishReceipt;
import dev.felix.client.SubscribeOptions;
import dev.felix.client.Subscription;
import dev.felix.wire.message.AckMode;
import dev.felix.wire.message.StreamRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * Runs one {@link Workload} against a broker: subscribers first (from latest, one connection each),
 * then the publishers (one connection each). Progress goes to {@code progress} about once a second.
 *
 * <p>Flow control: the publisher keeps at most {@link #MAX_UNACKED} publishes unacknowledged, so a
 * lossless run measures what the broker delivers, not how much the client can queue. It publishes
 * in chunks of half that and, at the end of each chunk, settles the chunk before ({@link
 * PublishWindow}): acknowledgements arrive in publish order, so that bounds what is unconfirmed and
 * counts every failed publish without a callback per record, as the NATS driver bounds it with a
 * flush. A failed publish (a refusal such as a spent memory budget) counts as lost, is reported
 * with its cause, and is not waited for. With ack mode none nothing is answered, so a refusal
 * reaches only the client's listener and shows as loss alone.
 */
public final class LoadRunner {
  static final int MAX_UNACKED = 8192;

  private final FelixOptions options;
  private final Consumer<String> progress;
  private Consumer<StreamRef> afterRun = stream -> {};

  /** The stream of the warm-up under way, if any (one for all its slices). */
  private StreamRef warmUpStream;

  public LoadRunner(FelixOptions options, Consumer<String> progress) {
    this.options = options;
    this.progress = progress;
  }

  /**
   * Called with each run's stream once the run's connections are closed, e.g. to delete it: a
   * broker that keeps every run's stream has more live heap, and longer collections, in every run
   * after the first.
   */
  public LoadRunner afterEachRun(Consumer<StreamRef> action) {
    this.afterRun = action;
    return this;
  }

  /** A measured run on a stream of its own, handed to the after-run action at the end. */
  public LoadResult run(Workload workload, Duration timeout) throws Exception {
    StreamRef stream = newStream(workload, "");
    try {
      return runOn(stream, workload, timeout);
    } finally {
      afterRun.accept(stream);
    }
  }

  /**
   * An unmeasured run on this runner's warm-up stream. A warm-up takes as many slices as the JIT
   * needs (dozens for W1); on one stream they leave one behind, bounded by its max_bytes, on a
   * broker the bench cannot delete streams from, instead of one per slice. {@link #endWarmUp} hands
   * it to the after-run action.
   */
  public void warmUp(Workload slice, Duration timeout) throws Exception {
    if (warmUpStream == null) {
      warmUpStream = newStream(slice, "warmup-");
    }
    runOn(warmUpStream, slice, timeout);
  }

  /** The warm-up is over: its stream goes to the after-run action (deleted where possible). */
  public void endWarmUp() {
    if (warmUpStream != null) {
      afterRun.accept(warmUpStream);
      warmUpStream = null;
    }
  }

  private static StreamRef newStream(Workload workload, String kind) {
    return StreamRef.of(
        "bench-" + workload.name().toLowerCase(Locale.ROOT) + "-" + kind + System.nanoTime());
  }

  /**
   * A measured run on a stream the caller provides (e.g. one created durable through the admin
   * API): subscribes from the stream's end, so records of an earlier run on the same stream are not
   * counted, publishes the workload and waits for its deliveries. The stream is not handed to the
   * after-run action.
   */
  public LoadResult runOn(StreamRef stream, Workload workload, Duration timeout) throws Exception {
    List<FelixClient> connections = new ArrayList<>();
    List<SubscriberProbe> probes = new ArrayList<>();
    List<Subscription> subscriptions = new ArrayList<>();
    try {
      for (int i = 0; i < workload.subscribers(); i++) {
        FelixClient subscriber =
            Felix.connect(options.toBuilder().clientName("bench-sub-" + i).build());
        connections.add(subscriber);
        SubscriberProbe probe = new SubscriberProbe();
        probes.add(probe);
        subscriptions.add(subscriber.subscribe(stream, SubscribeOptions.latest(), probe));
      }
      List<FelixClient> publishers = new ArrayList<>();
      for (int p = 0; p < workload.publishers(); p++) {
        FelixOptions.Builder publisherOptions = options.toBuilder().clientName("bench-pub-" + p);
        if (workload.batchRecords() > 0) {
          publisherOptions.batching(
              options.batching().withMaxBatchRecords(workload.batchRecords()));
        }
        FelixClient publisher = Felix.connect(publisherOptions.build());
        connections.add(publisher);
        publishers.add(publisher);
      }
      CostSnapshot before = CostSnapshot.now();
      long start = System.nanoTime();
      AckLatency.Recorder acks = new AckLatency.Recorder();
      PublishWindow.Failures failures = new PublishWindow.Failures();
      long published = publishAll(publishers, stream, workload, probes, acks, failures, start);
      // A failed publish is lost for good: wait for the others only, count it as lost.
      long arriving = (published - failures.count()) * workload.subscribers();
      long deadline = System.nanoTime() + timeout.toNanos();
      awaitDeliveries(workload, probes, published, arriving, start, deadline, progress);
      return result(
          workload,
          probes,
          published,
          published * workload.subscribers(),
          start,
          before,
          acks.summary(),
          failures);
    } finally {
      for (Subscription subscription : subscriptions) {
        subscription.close();
      }
      for (FelixClient connection : connections) {
        connection.close();
      }
    }
  }

  /** A peer's publisher: sends the workload, starting at {@code startNanos}; returns the count. */
  interface PeerPublisher {
    long publish(long startNanos) throws Exception;
  }

  /**
   * A peer's measured run once its subscribers are ready: publishes, waits for the deliveries and
   * reads the result, as {@link #runOn} does for Felix. Peers (NATS core, Redis pub/sub) have no
   * acknowledgements to time.
   */
  static LoadResult measurePeerRun(
      Workload workload,
      List<SubscriberProbe> probes,
      PeerPublisher publisher,
      Duration timeout,
      Consumer<String> progress)
      throws Exception {
    CostSnapshot before = CostSnapshot.now();
    long start = System.nanoTime();
    long published = publisher.publish(start);
    long expected = published * workload.subscribers();
    awaitDeliveries(
        workload,
        probes,
        published,
        expected,
        start,
        System.nanoTime() + timeout.toNanos(),
        progress);
    return result(
        workload,
        probes,
        published,
        expected,
        start,
        before,
        AckLatency.NONE,
        new PublishWindow.Failures());
  }

  /**
   * The figures of a finished run, from its probes (shared with the peer runners). Call it before
   * the run's connections close: their threads' CPU wait is read from the live threads.
   */
  static LoadResult result(
      Workload workload,
      List<SubscriberProbe> probes,
      long published,
      long expected,
      long startNanos,
      CostSnapshot before,
      AckLatency acks,
      PublishWindow.Failures publishFailures) {
    long end =
        probes.stream()
            .mapToLong(SubscriberProbe::lastArrivalNanos)
            .max()
            .orElse(System.nanoTime());
    CostSnapshot.Cost cost = before.since();
    Histogram latency = new Histogram(3_600_000_000_000L, 3);
    long outOfOrder = 0;
    for (SubscriberProbe probe : probes) {
      latency.add(probe.latency().getIntervalHistogram());
      outOfOrder += probe.outOfOrder();
    }
    return new LoadResult(
        workload,
        published,
        delivered(probes),
        expected,
        outOfOrder,
        Math.max(1e-9, (end - startNanos) / 1e9),
        latency.getValueAtPercentile(50) / 1e3,
        latency.getValueAtPercentile(90) / 1e3,
        latency.getValueAtPercentile(99) / 1e3,
        latency.getValueAtPercentile(99.9) / 1e3,
        latency.getMaxValue() / 1e3,
        cost.cpuSeconds(),
        cost.waitSeconds(),
        cost.wakeupsPer(published),
        cost.datagramsPer(published),
        ProcessStats.thisProcessRssBytes(),
        acks,
        publishFailures.count(),
        publishFailures.first());
  }

  /**
   * Deadline-bounded wait until {@code awaited} deliveries arrived, reporting progress; an
   * interrupt ends it early (the result then shows what arrived).
   */
  static void awaitDeliveries(
      Workload workload,
      List<SubscriberProbe> probes,
      long published,
      long awaited,
      long start,
      long deadline,
      Consumer<String> progress) {
    while (delivered(probes) < awaited
        && System.nanoTime() < deadline
        && !Thread.currentThread().isInterrupted()) {
      progress.accept(progressLine(workload, probes, published, start));
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
    }
  }

  /**
   * Publishes the workload's messages from every publisher at once: publisher {@code p} sends
   * messages {@code p, p + N, p + 2N, ...} (N publishers), each at its intended time of the whole
   * run's schedule, so N publishers together keep the workload's rate.
   */
  private long publishAll(
      List<FelixClient> publishers,
      StreamRef stream,
      Workload workload,
      List<SubscriberProbe> probes,
      AckLatency.Recorder acks,
      PublishWindow.Failures failures,
      long start)
      throws Exception {
    if (publishers.size() == 1) {
      return publish(publishers.get(0), 0, stream, workload, probes, acks, failures, start);
    }
    List<CompletableFuture<Long>> running = new ArrayList<>();
    for (int p = 0; p < publishers.size(); p++) {
      int index = p;
      CompletableFuture<Long> done = new CompletableFuture<>();
      Thread thread =
          new Thread(
              () -> {
                try {
                  done.complete(
                      publish(
                          publishers.get(index),
                          index,
                          stream,
                          workload,
                          probes,
                          acks,
                          failures,
                          start));
                } catch (Exception | Error e) {
                  done.completeExceptionally(e);
                }
              },
              "felix-bench-publisher-" + p);
      thread.setDaemon(true);
      thread.start();
      running.add(done);
    }
    long total = 0;
    for (CompletableFuture<Long> done : running) {
      total += done.join();
    }
    return total;
  }

  private long publish(
      FelixClient publisher,
      int index,
      StreamRef stream,
      Workload workload,
      List<SubscriberProbe> probes,
      AckLatency.Recorder acks,
      PublishWindow.Failures failures,
      long start)
      throws InterruptedException {
    int chunk = MAX_UNACKED / 2;
    boolean timeAcks = workload.ackMode() != AckMode.NONE; // with none, nothing is acknowledged
    PublishWindow window = new PublishWindow(MAX_UNACKED, failures);
    int publishers = workload.publishers();
    long total = workload.totalMessages();
    Pacing pacing = new Pacing(workload, start);
    long lastReport = start;
    long sent = 0;
    for (long n = index; n < total; n += publishers) {
      long sendTime = pacing.awaitTurn(n);
      byte[] payload =
          Pacing.payload(workload.payloadBytes(), sendTime, Pacing.sequenceOf(index, sent++));
      long publishedAt = System.nanoTime();
      CompletableFuture<PublishReceipt> publish =
          publisher.publishAsync(
              OutgoingMessage.builder(stream).payload(payload).ackMode(workload.ackMode()).build());
      window.add(publish);
      if (timeAcks && sent % AckLatency.SAMPLE_EVERY == 0) {
        var unused =
            publish.whenComplete(
                (receipt, error) -> {
                  if (error == null) {
                    acks.record(publishedAt, System.nanoTime());
                  }
                });
      }
      if (sent % chunk == 0) {
        window.settleFirst(sent - chunk);
      }
      long now = System.nanoTime();
      if (index == 0 && now - lastReport > 1_000_000_000L) {
        lastReport = now;
        report(workload, probes, n + 1, start);
      }
    }
    window.settleAll();
    return sent;
  }

  private void report(Workload workload, List<SubscriberProbe> probes, long published, long start) {
    progress.accept(progressLine(workload, probes, published, start));
  }

  static String progressLine(
      Workload workload, List<SubscriberProbe> probes, long published, long start) {
    double seconds = (System.nanoTime() - start) / 1e9;
    long delivered = delivered(probes);
    return String.format(
        Locale.ROOT,
        "%s  %.1fs  published %,d  delivered %,d of %,d  (%,.0f/s)",
        workload.name(),
        seconds,
        published,
        delivered,
        workload.totalMessages() * workload.subscribers(),
        delivered / Math.max(seconds, 1e-9));
  }

  static long delivered(List<SubscriberProbe> probes) {
    long total = 0;
    for (SubscriberProbe probe : probes) {
      total += probe.received();
    }
    return total;
  }
}
