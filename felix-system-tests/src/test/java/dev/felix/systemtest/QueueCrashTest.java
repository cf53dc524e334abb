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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills (SIGKILL) a broker while a consumer group is mid-stream on a durable stream, restarts it on
 * the same data directory, and checks that the group resumes near where it was: every record is
 * finished, and only what was acked since the last position flush (plus the leases in flight) comes
 * again.
 */
class QueueCrashTest {
  private static final Duration LONG = Duration.ofSeconds(60);
  private static final String STREAM = "crash-queue";
  private static final int RECORDS = 2_000;
  private static final Map<String, String> SETTINGS =
      Map.of(
          "FELIX_STREAM_STORAGE", "durable",
          "FELIX_STREAM_FSYNC", "always",
          "FELIX_QUEUES_POSITION_FLUSH_MS", "50");

  private static FelixOptions options(ServerProcess server) {
    return FelixOptions.builder()
        .serverAddress("127.0.0.1:" + server.quicPort())
        .caFile(server.caFile())
        .trustSystemStore(false)
        .reconnect(ReconnectPolicy.DISABLED)
        .requestTimeout(Duration.ofSeconds(5))
        .build();
  }

  /** Polls and acks (about one record per millisecond) until {@code until} records are acked. */
  private static void consume(QueueConsumer consumer, Set<Long> acked, Set<Long> again, int until)
      throws Exception {
    long deadline = System.nanoTime() + LONG.toNanos();
    while (acked.size() < until && System.nanoTime() < deadline) {
      ReceivedRecord record = consumer.poll(Duration.ofMillis(100));
      if (record == null) {
        continue;
      }
      if (!acked.add(record.offset())) {
        again.add(record.offset());
      }
      consumer.ack(record);
      Thread.sleep(1);
    }
  }

  @Test
  void aKilledBrokerResumesTheGroupAtItsStoredPosition(@TempDir Path dataDir) throws Exception {
    Set<Long> acked = ConcurrentHashMap.newKeySet();
    Set<Long> again = ConcurrentHashMap.newKeySet();
    try (ServerProcess server = ServerProcess.start(dataDir, SETTINGS)) {
      FelixClient client = Felix.connect(options(server));
      Records.publish(client, STREAM, 0, RECORDS);
      QueueConsumer consumer =
          client.consumer(
              StreamRef.of(STREAM), "workers", ConsumerOptions.builder().maxInFlight(10).build());
      consume(consumer, acked, again, 800);
      server.kill();
      client.close();
    }
    int ackedBeforeKill = acked.size();
    assertThat(ackedBeforeKill).isGreaterThanOrEqualTo(800);

    try (ServerProcess server = ServerProcess.start(dataDir, SETTINGS);
        FelixClient client = Felix.connect(options(server))) {
      QueueConsumer consumer =
          client.consumer(
              StreamRef.of(STREAM), "workers", ConsumerOptions.builder().maxInFlight(10).build());
      consume(consumer, acked, again, RECORDS);
      assertThat(acked).hasSize(RECORDS);
      // Redelivered after the crash: what was acked after the last flush (50 ms, about 50
      // records at this pace) and the leases in flight; far from the 800 acked before.
      assertThat(again.size())
          .as("records acked before the kill and delivered again: %s", again.size())
          .isLessThan(300);
    }
  }
}
