package dev.felix.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.client.Felix;
import dev.felix.client.FelixClient;
import dev.felix.client.FelixOptions;
import dev.felix.client.PublishReceipt;
import dev.felix.client.ReceivedRecord;
import dev.felix.client.ReconnectPolicy;
import dev.felix.client.SubscribeOptions;
import dev.felix.client.Subscription;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills (SIGKILL) a broker process while a publisher is mid-stream on a durable stream with fsync
 * {@code always}, several times over the same data directory, then checks that every acknowledged
 * record is readable after the last restart, at its acknowledged offset, in order, exactly once.
 * {@code -Dfelix.crash.rounds=N} runs more rounds (the default build runs 3).
 */
class DurableCrashTest {
  private static final int ROUNDS = Integer.getInteger("felix.crash.rounds", 3);
  private static final String STREAM = "crash";
  private static final Map<String, String> DURABLE_ALWAYS =
      Map.of(
          "FELIX_STREAM_STORAGE", "durable",
          "FELIX_STREAM_FSYNC", "always",
          "FELIX_STREAM_SEGMENT_BYTES", "1048576");

  @Test
  void everyAcknowledgedRecordSurvivesRepeatedKills(@TempDir Path dataDir) throws Exception {
    Map<Long, String> acknowledged = new ConcurrentHashMap<>();
    for (int round = 0; round < ROUNDS; round++) {
      try (ServerProcess server = ServerProcess.start(dataDir, DURABLE_ALWAYS)) {
        AtomicBoolean stop = new AtomicBoolean();
        int thisRound = round;
        Thread publisher =
            new Thread(() -> publishUntilKilled(server, thisRound, stop, acknowledged));
        publisher.start();
        long ackedBefore = acknowledged.size();
        Await.until(
            "acknowledgements in round " + round,
            () -> acknowledged.size() > ackedBefore + 200,
            Duration.ofSeconds(60));
        Thread.sleep(ThreadLocalRandom.current().nextInt(50, 400));
        server.kill();
        stop.set(true);
        publisher.join(60_000);
      }
    }
    assertThat(acknowledged).hasSizeGreaterThan(ROUNDS * 200);

    try (ServerProcess server = ServerProcess.start(dataDir, DURABLE_ALWAYS);
        FelixClient client = Felix.connect(options(server))) {
      long highest = acknowledged.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
      List<ReceivedRecord> records = new ArrayList<>();
      try (Subscription subscription = client.subscribe(STREAM, SubscribeOptions.earliest())) {
        while (true) {
          ReceivedRecord record = subscription.poll(Duration.ofSeconds(5));
          if (record == null) {
            break;
          }
          records.add(record);
        }
      }
      // In order, from 0, no gap: offsets are dense.
      for (int i = 0; i < records.size(); i++) {
        assertThat(records.get(i).offset()).isEqualTo(i);
      }
      assertThat(records.size()).isGreaterThan((int) highest);
      // Exactly once: no payload twice (each publish had a unique payload, nothing was retried).
      Set<String> payloads = new HashSet<>();
      for (ReceivedRecord record : records) {
        assertThat(payloads.add(record.payloadAsString()))
            .as("payload %s appears once", record.payloadAsString())
            .isTrue();
      }
      // Every acknowledged record is there, at its acknowledged offset.
      acknowledged.forEach(
          (offset, payload) ->
              assertThat(records.get(offset.intValue()).payloadAsString())
                  .as("offset %d", offset)
                  .isEqualTo(payload));
    }
  }

  private static FelixOptions options(ServerProcess server) {
    return FelixOptions.builder()
        .serverAddress("127.0.0.1:" + server.quicPort())
        .caFile(server.caFile())
        .trustSystemStore(false)
        .reconnect(ReconnectPolicy.DISABLED)
        .requestTimeout(Duration.ofSeconds(5))
        .build();
  }

  /** Publishes unique payloads with acks until the broker dies; records what was acknowledged. */
  private static void publishUntilKilled(
      ServerProcess server, int round, AtomicBoolean stop, Map<Long, String> acknowledged) {
    try (FelixClient client = Felix.connect(options(server))) {
      List<CompletableFuture<PublishReceipt>> window = new ArrayList<>();
      for (int i = 0; !stop.get(); i++) {
        String payload = "round-" + round + "-" + i;
        CompletableFuture<PublishReceipt> receipt =
            client.publishAsync(STREAM, payload.getBytes(StandardCharsets.UTF_8));
        receipt.thenAccept(r -> acknowledged.put(r.offset(), payload));
        window.add(receipt);
        if (window.size() >= 64) {
          window.remove(0).exceptionally(e -> null).join();
        }
      }
    } catch (RuntimeException e) {
      // The broker was killed under the publisher: expected.
    }
  }
}
