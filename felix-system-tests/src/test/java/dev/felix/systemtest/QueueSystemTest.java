package dev.felix.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.felix.client.ConsumerOptions;
import dev.felix.client.FelixClient;
import dev.felix.client.QueueConsumer;
import dev.felix.client.ReceivedRecord;
import dev.felix.client.ReconnectPolicy;
import dev.felix.client.SubscribeOptions;
import dev.felix.client.Subscription;
import dev.felix.error.ErrorCode;
import dev.felix.wire.Bytes;
import dev.felix.wire.Capabilities;
import dev.felix.wire.Frame;
import dev.felix.wire.ProtocolVersion;
import dev.felix.wire.message.Credit;
import dev.felix.wire.message.ErrorReply;
import dev.felix.wire.message.Hello;
import dev.felix.wire.message.HelloOk;
import dev.felix.wire.message.QueueAck;
import dev.felix.wire.message.QueueNack;
import dev.felix.wire.message.ShardOffset;
import dev.felix.wire.message.StartPosition;
import dev.felix.wire.message.StreamRef;
import dev.felix.wire.message.Subscribe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Consumer groups over real QUIC on durable streams: four members share the work, one dies with
 * records in flight, the broker restarts in the middle, and a poison record ends in the dead-letter
 * stream. Each test has its own server (one restarts it).
 */
class QueueSystemTest {
  private static final Duration LONG = Duration.ofSeconds(90);
  private static final ReconnectPolicy QUICK =
      ReconnectPolicy.DEFAULT
          .withInitialBackoff(Duration.ofMillis(50))
          .withMaxBackoff(Duration.ofMillis(500));

  @RegisterExtension
  final EmbeddedFelix felix =
      EmbeddedFelix.with(
          "FELIX_STREAM_STORAGE", "durable",
          "FELIX_STREAM_SHARDS", "4",
          "FELIX_STREAM_FSYNC", "never",
          "FELIX_QUEUES_POSITION_FLUSH_MS", "50",
          "FELIX_QUEUES_MAX_DELIVERIES", "3");

  /** One member on its own connection, polling and acking on its own thread. */
  private final class Worker implements AutoCloseable {
    final FelixClient client;
    final QueueConsumer consumer;
    final Thread thread;
    final AtomicInteger received = new AtomicInteger();
    final AtomicInteger acked = new AtomicInteger();

    /** Acks only this many records, then holds every later lease (the victim). */
    volatile int ackLimit = Integer.MAX_VALUE;

    volatile boolean running = true;

    Worker(String stream, Map<String, AtomicInteger> acks, int index) {
      client = felix.connect(options -> options.reconnect(QUICK));
      consumer =
          client.consumer(
              StreamRef.of(stream), "workers", ConsumerOptions.builder().maxInFlight(50).build());
      thread =
          new Thread(
              () -> {
                while (running) {
                  ReceivedRecord record;
                  try {
                    record = consumer.poll(Duration.ofMillis(50));
                  } catch (InterruptedException e) {
                    return;
                  }
                  if (record == null) {
                    continue;
                  }
                  received.incrementAndGet();
                  if (acked.get() < ackLimit) {
                    acks.computeIfAbsent(key(record), k -> new AtomicInteger()).incrementAndGet();
                    acked.incrementAndGet();
                    consumer.ack(record);
                  }
                }
              },
              "worker-" + index);
      thread.start();
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      thread.join(10_000);
    }
  }

  private static String key(ReceivedRecord record) {
    return record.shard() + "/" + record.offset();
  }

  /** The group of {@code stream} as the admin API shows it, or null. */
  private JsonNode group(String stream) {
    JsonNode groups;
    try {
      groups = new ObjectMapper().readTree(felix.get("/admin/v1/groups").body()).get("groups");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    for (JsonNode group : groups) {
      if (group.get("stream").asText().equals(stream)) {
        return group;
      }
    }
    return null;
  }

  @Test
  void fourMembersOneKilledAndARestartFinishEveryRecordWithoutLoss() throws Exception {
    String stream = EmbeddedFelix.uniqueStream("work");
    Map<String, AtomicInteger> acks = new ConcurrentHashMap<>();
    List<Worker> workers = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        workers.add(new Worker(stream, acks, i));
      }
      Worker victim = workers.get(3);
      // Decided before any record exists, so the victim surely holds leases when it dies.
      victim.ackLimit = 20;
      FelixClient publisher = felix.connect(options -> options.reconnect(QUICK));
      Records.publish(publisher, stream, 0, 2_000);

      // The victim acks 20 records, then holds the rest of its leases and dies with them.
      Await.until("the victim to hold leases", () -> victim.received.get() >= 40, LONG);
      victim.close();
      victim.client.close();

      Await.until("half the work to be acked", () -> acks.size() >= 1_000, LONG);
      felix.restart();
      publisher = felix.connect(options -> options.reconnect(QUICK));
      Records.publish(publisher, stream, 2_000, 2_000);

      Await.until(() -> "every record acked, now " + acks.size(), () -> acks.size() == 4_000, LONG);
      Await.until(
          "the group to commit everything",
          () -> {
            JsonNode group = group(stream);
            return group != null && group.get("lag").asLong() == 0;
          },
          LONG);
      long duplicates = acks.values().stream().filter(count -> count.get() > 1).count();
      // At least once: acks in flight when the broker stopped may be redone, never more than
      // what the three live members could hold (3 x 50).
      assertThat(duplicates).isLessThanOrEqualTo(150);
      int delivered = 0;
      for (Worker worker : workers.subList(0, 3)) {
        assertThat(worker.received.get()).isPositive();
        delivered += worker.received.get();
      }
      // The victim's unacked leases came back: the live members received everything else.
      assertThat(delivered).isGreaterThanOrEqualTo(4_000 - victim.acked.get());
      assertThat(victim.received.get()).isGreaterThan(victim.acked.get());
    } finally {
      for (Worker worker : workers) {
        worker.close();
      }
    }
  }

  @Test
  void aPoisonRecordMovesToTheDeadLetterStreamWithItsHistory() throws Exception {
    String stream = EmbeddedFelix.uniqueStream("poison");
    FelixClient publisher = felix.connect();
    AtomicInteger attempts = new AtomicInteger();
    List<String> done = new ArrayList<>();
    felix
        .connect()
        .consumer(
            StreamRef.of(stream),
            "workers",
            ConsumerOptions.defaults(),
            record -> {
              if (record.payloadAsString().equals("poison")) {
                attempts.incrementAndGet();
                throw new IllegalStateException("cannot handle " + record.offset());
              }
              synchronized (done) {
                done.add(record.payloadAsString());
              }
            });
    publisher.publish(stream, "fine-1".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    publisher.publish(stream, "poison".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    publisher.publish(stream, "fine-2".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    Subscription dead = felix.connect().subscribe(stream + ".dlq", SubscribeOptions.earliest());
    ReceivedRecord letter = dead.poll(LONG);
    assertThat(letter).isNotNull();
    assertThat(letter.payloadAsString()).isEqualTo("poison");
    assertThat(letter.header("felix-dlq-reason").toUtf8()).isEqualTo("max-deliveries");
    assertThat(letter.header("felix-dlq-deliveries").toUtf8()).isEqualTo("3");
    assertThat(letter.header("felix-dlq-source").toUtf8()).startsWith("default/default/" + stream);
    assertThat(attempts.get()).isEqualTo(3);
    Await.until(
        "both fine records",
        () -> {
          synchronized (done) {
            return done.size() == 2;
          }
        },
        LONG);
    Await.until(
        "the group to commit everything",
        () -> {
          JsonNode group = group(stream);
          return group != null
              && group.get("lag").asLong() == 0
              && group.get("deadLettered").asLong() == 1;
        },
        LONG);
  }

  private static int errorCode(Frame frame) {
    assertThat(frame.message()).isInstanceOf(ErrorReply.class);
    return ((ErrorReply) frame.message()).code();
  }

  @Test
  void queueMessagesNeedTheCapabilityAndAGroupMember() {
    try (RawConnection raw = felix.closeAfterTest(RawConnection.connect(felix))) {
      raw.hello(); // asks for no capabilities
      raw.send(2, new Subscribe(StreamRef.of("q"), -1, StartPosition.EARLIEST, 0, "g", 0));
      assertThat(errorCode(raw.awaitReply(2, LONG)))
          .isEqualTo(ErrorCode.UNSUPPORTED_FEATURE.code());
      raw.send(3, new QueueAck(1, List.of(new ShardOffset(0, 0))));
      assertThat(errorCode(raw.awaitReply(3, LONG)))
          .isEqualTo(ErrorCode.UNSUPPORTED_FEATURE.code());
    }
    try (RawConnection raw = felix.closeAfterTest(RawConnection.connect(felix))) {
      raw.send(
          1,
          new Hello(
              ProtocolVersion.CURRENT,
              ProtocolVersion.CURRENT,
              Capabilities.QUEUES,
              "raw",
              Bytes.EMPTY));
      Frame ok = raw.awaitReply(1, LONG);
      assertThat(((HelloOk) ok.message()).capabilities() & Capabilities.QUEUES).isNotZero();
      raw.send(4, new QueueNack(99, 0, List.of(new ShardOffset(0, 0))));
      assertThat(errorCode(raw.awaitReply(4, LONG))).isEqualTo(ErrorCode.NOT_FOUND.code());
      raw.send(5, new Credit(99, 1));
      assertThat(errorCode(raw.awaitReply(5, LONG))).isEqualTo(ErrorCode.NOT_FOUND.code());
    }
  }
}
