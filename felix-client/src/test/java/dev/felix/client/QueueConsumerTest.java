package dev.felix.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.transport.TransportConfig;
import dev.felix.wire.message.Ok;
import dev.felix.wire.message.QueueAck;
import dev.felix.wire.message.QueueNack;
import dev.felix.wire.message.ShardOffset;
import dev.felix.wire.message.StartPosition;
import dev.felix.wire.message.StreamRef;
import dev.felix.wire.message.Subscribe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Consumer-group members against the scripted server: the join, redeliveries, ack and nack. */
class QueueConsumerTest {
  static final StreamRef JOBS = StreamRef.of("jobs");
  static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir static Path dataDir;
  static FakeServer server;

  FelixClient client;
  FakeConnection connection;

  @BeforeAll
  static void start() {
    server = FakeServer.start(dataDir, TransportConfig.builder().eventLoopThreads(1).build());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @AfterEach
  void closeClient() {
    if (client != null) {
      client.close();
    }
  }

  private void connect() throws Exception {
    FelixOptions options = server.clientOptions().build();
    CompletableFuture<FelixClient> connecting =
        CompletableFuture.supplyAsync(() -> Felix.connect(options));
    connection = server.acceptAndHandshake();
    client = Await.result(connecting);
  }

  /** Answers the member's Subscribe after checking it names the group. */
  private FakeSubscription join(int maxInFlight, StartPosition start) throws Exception {
    var subscribe = connection.expect(Subscribe.class);
    assertThat(subscribe.message().group()).isEqualTo("workers");
    assertThat(subscribe.message().maxInFlight()).isEqualTo(maxInFlight);
    assertThat(subscribe.message().start()).isEqualTo(start);
    return connection.openSubscription(subscribe.requestId(), 7, List.of(new ShardOffset(0, 0)));
  }

  @Test
  void aMemberReceivesRedeliveriesAndAcksAndNacksEachRecord() throws Exception {
    connect();
    CompletableFuture<QueueConsumer> joining =
        CompletableFuture.supplyAsync(
            () ->
                client.consumer(JOBS, "workers", ConsumerOptions.builder().maxInFlight(5).build()));
    FakeSubscription fake = join(5, StartPosition.EARLIEST);
    QueueConsumer consumer = Await.result(joining);
    assertThat(consumer.group()).isEqualTo("workers");

    fake.events(JOBS, 0, 0, "a", "b");
    fake.events(JOBS, 0, 0, "a"); // a redelivery: offsets go back, nothing is dropped
    ReceivedRecord a = consumer.poll(WAIT);
    ReceivedRecord b = consumer.poll(WAIT);
    ReceivedRecord again = consumer.poll(WAIT);
    assertThat(List.of(a.offset(), b.offset(), again.offset())).containsExactly(0L, 1L, 0L);
    assertThat(consumer.nextOffsets()).isEmpty();

    consumer.ack(b);
    var ack = connection.expect(QueueAck.class);
    assertThat(ack.message()).isEqualTo(new QueueAck(7, List.of(new ShardOffset(0, 1))));
    connection.send(ack.requestId(), Ok.INSTANCE);

    consumer.nack(again, Duration.ofSeconds(2));
    var nack = connection.expect(QueueNack.class);
    assertThat(nack.message()).isEqualTo(new QueueNack(7, 2_000, List.of(new ShardOffset(0, 0))));
    connection.send(nack.requestId(), Ok.INSTANCE);
  }

  @Test
  void aHandlerAcksWhatItFinishesAndNacksWhatItThrowsOn() throws Exception {
    connect();
    CompletableFuture<QueueConsumer> joining =
        CompletableFuture.supplyAsync(
            () ->
                client.consumer(
                    JOBS,
                    "workers",
                    ConsumerOptions.defaults(),
                    record -> {
                      if (record.payloadAsString().equals("bad")) {
                        throw new IllegalStateException("cannot");
                      }
                    }));
    FakeSubscription fake = join(0, StartPosition.EARLIEST);
    Await.result(joining);

    fake.events(JOBS, 0, 0, "bad", "good");
    var nack = connection.expect(QueueNack.class);
    assertThat(nack.message()).isEqualTo(new QueueNack(7, 0, List.of(new ShardOffset(0, 0))));
    connection.send(nack.requestId(), Ok.INSTANCE);
    var ack = connection.expect(QueueAck.class);
    assertThat(ack.message()).isEqualTo(new QueueAck(7, List.of(new ShardOffset(0, 1))));
    connection.send(ack.requestId(), Ok.INSTANCE);
  }

  @Test
  void acksAreBatchedIntoFewFrames() throws Exception {
    connect();
    CompletableFuture<QueueConsumer> joining =
        CompletableFuture.supplyAsync(
            () -> client.consumer(JOBS, "workers", ConsumerOptions.defaults()));
    FakeSubscription fake = join(0, StartPosition.EARLIEST);
    QueueConsumer consumer = Await.result(joining);
    String[] payloads = new String[300];
    java.util.Arrays.fill(payloads, "p");
    fake.events(JOBS, 0, 0, payloads);
    for (int i = 0; i < 300; i++) {
      consumer.ack(consumer.poll(WAIT));
    }
    int frames = 0;
    java.util.Set<Long> acked = new java.util.TreeSet<>();
    while (acked.size() < 300) {
      var ack = connection.expect(QueueAck.class);
      assertThat(ack.message().records()).hasSizeLessThanOrEqualTo(256);
      ack.message().records().forEach(record -> acked.add(record.offset()));
      connection.send(ack.requestId(), Ok.INSTANCE);
      frames++;
    }
    assertThat(acked).hasSize(300);
    assertThat(frames).isLessThan(300);
  }
}
