package dev.felix.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.felix.client.ConsumerOptions;
import dev.felix.client.Felix;
import dev.felix.client.FelixClient;
import dev.felix.client.PublishReceipt;
import dev.felix.client.QueueConsumer;
import dev.felix.client.ReceivedRecord;
import dev.felix.wire.message.StreamRef;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * W7 of BENCH.md: one producer, {@code consumers} members of one group, {@code payloadBytes}-byte
 * messages, every record acked on receipt. Reports acked records per second (first publish to last
 * first-time ack), the broker's redelivery and dead-letter counters (admin API), the duplicates the
 * consumers saw and the loss. The stream must have one shard (offsets index the tally).
 */
final class QueueBench {
  /**
   * One run.
   *
   * @param messages published
   * @param seconds first publish to the last record finished for the first time
   * @param distinct records received at least once
   * @param duplicates receptions beyond the first
   * @param redeliveries the broker's redelivery counter for the group
   * @param deadLettered the broker's dead-letter counter for the group
   */
  record Result(
      int messages,
      double seconds,
      long distinct,
      long duplicates,
      long redeliveries,
      long deadLettered) {
    double perSecond() {
      return distinct / seconds;
    }

    long lost() {
      return messages - distinct;
    }

    String line() {
      return String.format(
          Locale.ROOT,
          "%,d msgs in %.2f s: %,.0f msg/s acked, redeliveries %d, duplicates %d, dead letters %d,"
              + " lost %d",
          messages,
          seconds,
          perSecond(),
          redeliveries,
          duplicates,
          deadLettered,
          lost());
    }
  }

  private final dev.felix.client.FelixOptions options;
  private final String http;
  private final Consumer<String> progress;

  QueueBench(dev.felix.client.FelixOptions options, String http, Consumer<String> progress) {
    this.options = options;
    this.http = http;
    this.progress = progress;
  }

  Result run(int messages, int payloadBytes, int consumers, Duration timeout) throws Exception {
    String stream = "w7-" + System.nanoTime();
    AtomicIntegerArray seen = new AtomicIntegerArray(messages);
    AtomicLong distinct = new AtomicLong();
    AtomicLong duplicates = new AtomicLong();
    AtomicLong lastFirstNanos = new AtomicLong();
    List<FelixClient> clients = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    List<QueueConsumer> members = new ArrayList<>();
    try {
      for (int i = 0; i < consumers; i++) {
        FelixClient client = Felix.connect(options);
        clients.add(client);
        QueueConsumer member =
            client.consumer(
                StreamRef.of(stream), "w7", ConsumerOptions.builder().maxInFlight(512).build());
        members.add(member);
        Thread thread =
            new Thread(
                () -> {
                  try {
                    while (member.isActive()) {
                      ReceivedRecord record = member.poll(Duration.ofMillis(100));
                      if (record == null) {
                        continue;
                      }
                      member.ack(record);
                      int offset = (int) record.offset();
                      if (offset < messages && seen.getAndIncrement(offset) == 0) {
                        distinct.incrementAndGet();
                        lastFirstNanos.set(System.nanoTime());
                      } else {
                        duplicates.incrementAndGet();
                      }
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "w7-consumer-" + i);
        thread.setDaemon(true);
        thread.start();
        threads.add(thread);
      }
      FelixClient producer = Felix.connect(options);
      clients.add(producer);
      byte[] payload = new byte[payloadBytes];
      long start = System.nanoTime();
      List<CompletableFuture<PublishReceipt>> pending = new ArrayList<>(messages);
      for (int i = 0; i < messages; i++) {
        pending.add(producer.publishAsync(stream, payload));
      }
      for (CompletableFuture<PublishReceipt> receipt : pending) {
        receipt.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      }
      long deadline = System.nanoTime() + timeout.toNanos();
      while (distinct.get() < messages && System.nanoTime() < deadline) {
        progress.accept(
            String.format(Locale.ROOT, "W7: %,d of %,d acked", distinct.get(), messages));
        Thread.sleep(200);
      }
      double seconds = (lastFirstNanos.get() - start) / 1e9;
      JsonNode group = group(stream);
      return new Result(
          messages,
          seconds,
          distinct.get(),
          duplicates.get(),
          group == null ? -1 : group.get("redeliveries").asLong(),
          group == null ? -1 : group.get("deadLettered").asLong());
    } finally {
      for (QueueConsumer member : members) {
        member.close();
      }
      for (FelixClient client : clients) {
        client.close();
      }
      for (Thread thread : threads) {
        thread.join(5_000);
      }
    }
  }

  private JsonNode group(String stream) throws Exception {
    if (http == null) {
      return null;
    }
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://"
                                + http
                                + "/admin/v1/groups/default/default/"
                                + stream
                                + "/w7"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return response.statusCode() == 200 ? new ObjectMapper().readTree(response.body()) : null;
  }
}
