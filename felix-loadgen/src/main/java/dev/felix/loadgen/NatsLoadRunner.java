package dev.felix.loadgen;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a {@link Workload} against NATS core pub/sub, the peer BENCH.md names for W1-W3: the same
 * payloads (send time and sequence inside), the same subscriber probes, the same result. One
 * connection per subscriber and one for the publisher, as with Felix.
 *
 * <p>NATS core has no acknowledgements, so a publisher could run arbitrarily far ahead and the
 * server would cut slow subscribers off. The publisher therefore flushes (a PING/PONG round trip
 * that returns once the server has processed everything before it) every {@link
 * LoadRunner#MAX_UNACKED} messages: the same bound on unconfirmed messages Felix's publisher keeps.
 * Fixed-rate runs measure from the intended send time, as for Felix.
 */
public final class NatsLoadRunner {
  private final String url;
  private final Consumer<String> progress;

  public NatsLoadRunner(String url, Consumer<String> progress) {
    this.url = url;
    this.progress = progress;
  }

  public LoadResult run(Workload workload, Duration timeout) throws Exception {
    String subject = "bench." + workload.name().toLowerCase(Locale.ROOT) + "." + System.nanoTime();
    List<Connection> connections = new ArrayList<>();
    List<SubscriberProbe> probes = new ArrayList<>();
    try {
      for (int i = 0; i < workload.subscribers(); i++) {
        Connection subscriber = connect("bench-sub-" + i);
        connections.add(subscriber);
        SubscriberProbe probe = new SubscriberProbe();
        probes.add(probe);
        Dispatcher dispatcher =
            subscriber.createDispatcher(
                message -> probe.onPayload(ByteBuffer.wrap(message.getData())));
        // No pending limit on the client side: the run measures the server, and the probe is fast.
        dispatcher.setPendingLimits(-1, -1);
        dispatcher.subscribe(subject);
        subscriber.flush(
            Duration.ofSeconds(10)); // the subscription is registered before we publish
      }
      Connection publisher = connect("bench-pub");
      connections.add(publisher);
      return LoadRunner.measurePeerRun(
          workload,
          probes,
          start -> publish(publisher, subject, workload, probes, start),
          timeout,
          progress);
    } finally {
      for (Connection connection : connections) {
        connection.close();
      }
    }
  }

  private Connection connect(String name) throws Exception {
    return Nats.connect(
        new Options.Builder()
            .server(url)
            .connectionName(name)
            .maxReconnects(0)
            .bufferSize(256 * 1024)
            .build());
  }

  private long publish(
      Connection publisher,
      String subject,
      Workload workload,
      List<SubscriberProbe> probes,
      long start)
      throws Exception {
    long total = workload.totalMessages();
    Pacing pacing = new Pacing(workload, start);
    long lastReport = start;
    for (long sequence = 0; sequence < total; sequence++) {
      long sendTime = pacing.awaitTurn(sequence);
      byte[] payload = Pacing.payload(workload.payloadBytes(), sendTime, sequence);
      publisher.publish(subject, payload);
      if ((sequence + 1) % LoadRunner.MAX_UNACKED == 0) {
        publisher.flush(Duration.ofSeconds(30));
      }
      long now = System.nanoTime();
      if (now - lastReport > TimeUnit.SECONDS.toNanos(1)) {
        lastReport = now;
        progress.accept(LoadRunner.progressLine(workload, probes, sequence + 1, start));
      }
    }
    publisher.flush(Duration.ofSeconds(30));
    return total;
  }
}
