package dev.felix.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.client.ConsumerOptions;
import dev.felix.client.Felix;
import dev.felix.client.FelixClient;
import dev.felix.client.FelixOptions;
import dev.felix.client.QueueConsumer;
import dev.felix.client.ReceivedRecord;
import dev.felix.client.ReconnectPolicy;
import dev.felix.wire.message.StreamRef;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills (SIGKILL) a broker twice while four members of a consumer group work through a durable
 * stream, restarting it on the same data directory each time. Acks reach the ack journal (the page
 * cache) as soon as the broker has them, so a kill may redeliver only the leases in flight at that
 * moment: records acked before the kill come again at most members x maxInFlight times per kill,
 * and the broker counts them as redeliveries.
 */
class QueueCrashTest {
  private static final Duration LONG = Duration.ofSeconds(60);
  private static final String STREAM = "crash-queue";
  private static final String GROUP = "workers";
  private static final int RECORDS = 2_000;
  private static final int MEMBERS = 4;
  private static final int MAX_IN_FLIGHT = 8;
  private static final int KILLS = 2;

  /**
   * Journal fsync (and counter save) every 200 ms: 800 acks at this pace, far more than the bound
   * checked below, so a kill must not depend on it.
   */
  private static final Map<String, String> SETTINGS =
      Map.of(
          "FELIX_STREAM_STORAGE", "durable",
          "FELIX_STREAM_FSYNC", "always",
          "FELIX_QUEUES_POSITION_FLUSH_MS", "200");

  private static FelixOptions options(ServerProcess server) {
    return FelixOptions.builder()
        .serverAddress("127.0.0.1:" + server.quicPort())
        .caFile(server.caFile())
        .trustSystemStore(false)
        .reconnect(ReconnectPolicy.DISABLED)
        .requestTimeout(Duration.ofSeconds(5))
        .build();
  }

  /** What the members saw over every broker run. */
  private static final class Seen {
    final Set<Long> acked = ConcurrentHashMap.newKeySet();
    final AtomicInteger duplicates = new AtomicInteger();
  }

  /** Four members, each on its own connection, polling and acking until stopped or all done. */
  private static final class Round implements AutoCloseable {
    final AtomicBoolean stop = new AtomicBoolean();
    final List<FelixClient> clients = new ArrayList<>();
    final List<Thread> threads = new ArrayList<>();

    Round(ServerProcess server, Seen seen) {
      for (int m = 0; m < MEMBERS; m++) {
        FelixClient client = Felix.connect(options(server));
        clients.add(client);
        QueueConsumer consumer =
            client.consumer(
                StreamRef.of(STREAM),
                GROUP,
                ConsumerOptions.builder().maxInFlight(MAX_IN_FLIGHT).build());
        Thread thread = new Thread(() -> work(consumer, seen), "member-" + m);
        thread.start();
        threads.add(thread);
      }
    }

    private void work(QueueConsumer consumer, Seen seen) {
      try {
        while (!stop.get() && seen.acked.size() < RECORDS) {
          ReceivedRecord record = consumer.poll(Duration.ofMillis(50));
          if (record == null) {
            continue;
          }
          if (!seen.acked.add(record.offset())) {
            seen.duplicates.incrementAndGet();
          }
          consumer.ack(record);
          Thread.sleep(1); // about 1,000 records a second per member: the kills land mid-stream
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        // The broker was killed under this member: its connection is gone, the round is over.
      }
    }

    @Override
    public void close() throws InterruptedException {
      stop.set(true);
      for (Thread thread : threads) {
        thread.join(10_000);
      }
      for (FelixClient client : clients) {
        try {
          client.close();
        } catch (RuntimeException e) {
          // closing a client whose broker is gone
        }
      }
    }
  }

  @Test
  void killedBrokersRedeliverOnlyTheLeasesInFlightAndLoseNothing(@TempDir Path dataDir)
      throws Exception {
    Seen seen = new Seen();
    int perKill = MEMBERS * MAX_IN_FLIGHT;
    for (int kill = 1; kill <= KILLS; kill++) {
      try (ServerProcess server = ServerProcess.start(dataDir, SETTINGS)) {
        if (kill == 1) {
          try (FelixClient publisher = Felix.connect(options(server))) {
            Records.publish(publisher, STREAM, 0, RECORDS);
          }
        }
        int before = seen.duplicates.get();
        int target = seen.acked.size() + RECORDS / (KILLS + 1);
        try (Round round = new Round(server, seen)) {
          Await.until(() -> "acks before kill " + target, () -> seen.acked.size() >= target, LONG);
          server.kill();
        }
        assertThat(seen.acked.size()).as("the kill landed mid-stream").isLessThan(RECORDS);
        assertThat(seen.duplicates.get() - before)
            .as("acked records delivered again after the previous kill")
            .isLessThanOrEqualTo(kill == 1 ? 0 : perKill);
      }
    }

    try (ServerProcess server = ServerProcess.start(dataDir, SETTINGS)) {
      int before = seen.duplicates.get();
      try (Round round = new Round(server, seen)) {
        Await.until(
            () -> "every record acked, " + seen.acked.size() + " so far",
            () -> seen.acked.size() == RECORDS,
            LONG);
        Await.until(
            () -> "the group's lag to reach 0",
            () -> sample(server, "felix_queue_lag_records") == 0,
            LONG);
      }
      assertThat(seen.duplicates.get() - before)
          .as("acked records delivered again after the last kill")
          .isLessThanOrEqualTo(perKill);
      assertThat(seen.acked).hasSize(RECORDS);
      assertThat(seen.acked).allMatch(offset -> offset >= 0 && offset < RECORDS);
      assertThat(sample(server, "felix_queue_awaiting_journal_records"))
          .as("nothing held for the journal once every record is acked")
          .isZero();
      assertThat(sample(server, "felix_queue_redeliveries_total"))
          .as("every duplicate is counted (counters survive the restarts)")
          .isGreaterThanOrEqualTo(seen.duplicates.get());
    }
  }

  /** The group's value of {@code metric} in a scrape of the broker's {@code /metrics}. */
  private static double sample(ServerProcess server, String metric) {
    Metrics metrics = new Metrics(EmbeddedFelix.get(server.http(), "/metrics").body());
    for (String line : metrics.samplesStartingWith(metric + "{")) {
      if (line.contains("group=\"" + GROUP + "\"") && line.contains("stream=\"" + STREAM + "\"")) {
        String[] parts = line.trim().split(" ");
        return Double.parseDouble(parts[1]);
      }
    }
    return Double.NaN;
  }
}
