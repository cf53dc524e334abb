package dev.felix.loadgen;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * Runs a throughput {@link Workload} (W1, W2) against Redis pub/sub, the second peer BENCH.md names
 * for them ("then at least 1.0x the faster of NATS and Redis pub/sub"): the same payloads, probes
 * and result as {@link NatsLoadRunner}. One connection per subscriber, each read by its own thread
 * (Jedis's subscribe blocks), and one publisher connection.
 *
 * <p>Redis pub/sub has no acknowledgements either. The publisher pipelines its PUBLISH commands and
 * reads their replies every {@link LoadRunner#MAX_UNACKED} messages, so it never runs more than
 * that far ahead of the server: the bound Felix's and the NATS publisher keep. A subscriber that
 * falls behind by more than Redis's pub/sub output-buffer limit (32 MiB by default) is disconnected
 * by the server, which shows as loss. Fixed-rate workloads are refused: a pipelined command waits
 * in Jedis's buffer until it fills, so per-message latency would measure the buffer, not Redis.
 */
public final class RedisPubSubLoadRunner {
  private final String host;
  private final int port;
  private final Consumer<String> progress;

  public RedisPubSubLoadRunner(String host, int port, Consumer<String> progress) {
    this.host = host;
    this.port = port;
    this.progress = progress;
  }

  public LoadResult run(Workload workload, Duration timeout) throws Exception {
    if (workload.fixedRate()) {
      throw new IllegalArgumentException("the Redis pub/sub peer runs throughput workloads only");
    }
    byte[] channel =
        ("bench." + workload.name().toLowerCase(Locale.ROOT) + "." + System.nanoTime())
            .getBytes(StandardCharsets.UTF_8);
    List<Subscriber> subscribers = new ArrayList<>();
    List<SubscriberProbe> probes = new ArrayList<>();
    try (Jedis publisher = new Jedis(host, port)) {
      for (int i = 0; i < workload.subscribers(); i++) {
        SubscriberProbe probe = new SubscriberProbe();
        probes.add(probe);
        subscribers.add(Subscriber.start(host, port, channel, probe, i));
      }
      for (Subscriber subscriber : subscribers) {
        subscriber.awaitSubscribed(timeout);
      }
      return LoadRunner.measurePeerRun(
          workload,
          probes,
          start -> publish(publisher, channel, workload, probes, start),
          timeout,
          progress);
    } finally {
      for (Subscriber subscriber : subscribers) {
        subscriber.stop();
      }
    }
  }

  private long publish(
      Jedis publisher,
      byte[] channel,
      Workload workload,
      List<SubscriberProbe> probes,
      long start) {
    long total = workload.totalMessages();
    Pipeline pipeline = publisher.pipelined();
    long lastReport = start;
    for (long sequence = 0; sequence < total; sequence++) {
      byte[] payload = Pacing.payload(workload.payloadBytes(), System.nanoTime(), sequence);
      pipeline.publish(channel, payload);
      if ((sequence + 1) % LoadRunner.MAX_UNACKED == 0) {
        pipeline.sync(); // every reply read: the server has fanned these out
        long now = System.nanoTime();
        if (now - lastReport > TimeUnit.SECONDS.toNanos(1)) {
          lastReport = now;
          progress.accept(LoadRunner.progressLine(workload, probes, sequence + 1, start));
        }
      }
    }
    pipeline.sync();
    return total;
  }

  /** One subscriber connection and the thread that reads it. */
  private static final class Subscriber {
    private final Jedis connection;
    private final BinaryJedisPubSub pubSub;
    private final CountDownLatch subscribed = new CountDownLatch(1);
    private final Thread reader;
    private volatile Exception failure;

    private Subscriber(String host, int port, byte[] channel, SubscriberProbe probe, int index) {
      connection = new Jedis(host, port);
      pubSub =
          new BinaryJedisPubSub() {
            @Override
            public void onSubscribe(byte[] name, int count) {
              subscribed.countDown();
            }

            @Override
            public void onMessage(byte[] name, byte[] message) {
              probe.onPayload(ByteBuffer.wrap(message));
            }
          };
      reader =
          new Thread(
              () -> {
                try {
                  connection.subscribe(pubSub, channel);
                } catch (RuntimeException e) {
                  failure = e; // disconnected (e.g. its output buffer limit): shows as loss
                  subscribed.countDown();
                }
              },
              "bench-redis-sub-" + index);
      reader.setDaemon(true);
    }

    static Subscriber start(
        String host, int port, byte[] channel, SubscriberProbe probe, int index) {
      Subscriber subscriber = new Subscriber(host, port, channel, probe, index);
      subscriber.reader.start();
      return subscriber;
    }

    void awaitSubscribed(Duration timeout) throws Exception {
      if (!subscribed.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("Redis did not confirm the subscription in " + timeout);
      }
      if (failure != null) {
        throw failure;
      }
    }

    void stop() throws InterruptedException {
      try {
        if (pubSub.isSubscribed()) {
          pubSub.unsubscribe();
        }
      } catch (RuntimeException alreadyGone) {
        // The connection broke; closing it below is all that is left.
      }
      reader.join(TimeUnit.SECONDS.toMillis(10));
      connection.close();
    }
  }
}
