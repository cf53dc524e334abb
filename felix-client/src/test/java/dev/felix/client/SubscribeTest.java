package dev.felix.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.error.LimitException;
import dev.felix.error.NotFoundException;
import dev.felix.transport.TransportConfig;
import dev.felix.wire.message.ShardOffset;
import dev.felix.wire.message.StartPosition;
import dev.felix.wire.message.StreamRef;
import dev.felix.wire.message.Subscribe;
import dev.felix.wire.message.Unsubscribe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Subscriptions against the scripted server: delivery, drops, ends, unsubscribe, flow control. */
class SubscribeTest {
  static final StreamRef ORDERS = StreamRef.of("orders");
  static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir static Path dataDir;
  static FakeServer server;

  FelixClient client;
  FakeConnection connection;
  final RecordingListener listener = new RecordingListener();

  @BeforeAll
  static void start() {
    // Small send-queue marks, so that a paused subscription soon shows as unwritable here.
    server =
        FakeServer.start(
            dataDir,
            TransportConfig.builder()
                .eventLoopThreads(1)
                .sendQueueHighWaterMarkBytes(64 * 1024)
                .sendQueueLowWaterMarkBytes(16 * 1024)
                .build());
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

  private void connect(FelixOptions.Builder options) throws Exception {
    FelixOptions built = options.listener(listener).build();
    CompletableFuture<FelixClient> connecting =
        CompletableFuture.supplyAsync(() -> Felix.connect(built));
    connection = server.acceptAndHandshake();
    client = Await.result(connecting);
  }

  /** Subscribes on another thread (subscribe blocks until Subscribed) and answers it. */
  private Opened open(SubscribeOptions options, RecordListener recordListener, long... starts)
      throws Exception {
    CompletableFuture<Subscription> subscribing =
        CompletableFuture.supplyAsync(
            () ->
                recordListener == null
                    ? client.subscribe(ORDERS, options)
                    : client.subscribe(ORDERS, options, recordListener));
    var subscribe = connection.expect(Subscribe.class);
    List<ShardOffset> offsets = new ArrayList<>();
    for (int shard = 0; shard < starts.length; shard++) {
      offsets.add(new ShardOffset(shard, starts[shard]));
    }
    FakeSubscription fake = connection.openSubscription(subscribe.requestId(), 7, offsets);
    return new Opened(Await.result(subscribing), fake, subscribe.message());
  }

  record Opened(Subscription subscription, FakeSubscription server, Subscribe request) {}

  private static List<Long> offsets(List<ReceivedRecord> records) {
    return records.stream().map(ReceivedRecord::offset).toList();
  }

  @Test
  void subscribedFirstThenEventsArePolledInOrder() throws Exception {
    connect(server.clientOptions());
    Opened opened = open(SubscribeOptions.earliest(), null, 0);
    assertThat(opened.request().stream()).isEqualTo(ORDERS);
    assertThat(opened.request().shard()).isEqualTo(-1);
    assertThat(opened.request().start()).isEqualTo(StartPosition.EARLIEST);
    assertThat(opened.request().options()).isZero();

    opened.server().events(ORDERS, 0, 0, "a", "b", "c");
    opened.server().events(ORDERS, 0, 3, "d", "e");
    Subscription subscription = opened.subscription();
    List<ReceivedRecord> received = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      received.add(subscription.poll(WAIT));
    }
    assertThat(offsets(received)).containsExactly(0L, 1L, 2L, 3L, 4L);
    assertThat(received)
        .extracting(ReceivedRecord::payloadAsString)
        .containsExactly("a", "b", "c", "d", "e");
    ReceivedRecord first = received.get(0);
    assertThat(first.stream()).isEqualTo(ORDERS);
    assertThat(first.shard()).isZero();
    assertThat(first.key().toUtf8()).isEqualTo("k-a");
    assertThat(first.header("h").toUtf8()).isEqualTo("a");
    assertThat(first.timestampMs()).isEqualTo(1_700_000_000_000L);
    assertThat(subscription.nextOffsets()).containsEntry(0, 5L);
    assertThat(subscription.poll(Duration.ofMillis(1))).isNull();
    listener.assertNoErrors();
  }

  @Test
  void listenerReceivesRecordsInOrderOnItsDispatcherThread() throws Exception {
    connect(server.clientOptions());
    List<ReceivedRecord> received = new CopyOnWriteArrayList<>();
    List<String> threads = new CopyOnWriteArrayList<>();
    Opened opened =
        open(
            SubscribeOptions.fromOffset(10),
            record -> {
              threads.add(Thread.currentThread().getName());
              received.add(record);
            },
            10);
    assertThat(opened.request().start()).isEqualTo(StartPosition.offset(10));

    opened.server().events(ORDERS, 0, 10, "x", "y");
    opened.server().events(ORDERS, 0, 12, "z");
    Await.until("three records delivered", () -> received.size() == 3);
    assertThat(offsets(received)).containsExactly(10L, 11L, 12L);
    assertThat(threads)
        .allMatch(name -> name.startsWith("felix-client-") && name.contains("-sub-"));
    assertThatThrownBy(() -> opened.subscription().poll(WAIT))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void duplicateOffsetsAreDeliveredOnce() throws Exception {
    connect(server.clientOptions());
    Opened opened = open(SubscribeOptions.earliest(), null, 0);
    opened.server().events(ORDERS, 0, 0, "a", "b");
    opened.server().events(ORDERS, 0, 1, "b", "c");
    Subscription subscription = opened.subscription();
    List<ReceivedRecord> received = List.of(subscription.poll(WAIT), subscription.poll(WAIT));
    assertThat(offsets(received)).containsExactly(0L, 1L);
    assertThat(subscription.poll(WAIT).offset()).isEqualTo(2L);
  }

  @Test
  void eventsDroppedReachesTheListenerWithItsNumbers() throws Exception {
    connect(server.clientOptions());
    Opened opened = open(SubscribeOptions.latest(), null, 0);
    opened.server().events(ORDERS, 0, 0, "a");
    opened.server().dropped(0, 12, 13);
    opened.server().events(ORDERS, 0, 13, "n");

    RecordingListener.Dropped dropped = listener.await(RecordingListener.Dropped.class);
    assertThat(dropped.subscription()).isSameAs(opened.subscription());
    assertThat(dropped.shard()).isZero();
    assertThat(dropped.count()).isEqualTo(12);
    assertThat(dropped.nextOffset()).isEqualTo(13);
    assertThat(opened.subscription().poll(WAIT).offset()).isZero();
    assertThat(opened.subscription().poll(WAIT).offset()).isEqualTo(13);
  }

  @Test
  void serverEndedSubscriptionDeliversWhatWasBufferedThenThrows() throws Exception {
    connect(server.clientOptions());
    Opened opened = open(SubscribeOptions.earliest(), null, 0);
    opened.server().events(ORDERS, 0, 0, "a", "b");
    opened.server().endWith(ErrorCode.SLOW_CONSUMER, "fell behind");

    RecordingListener.Ended ended = listener.await(RecordingListener.Ended.class);
    assertThat(ended.subscription()).isSameAs(opened.subscription());
    assertThat(ended.cause()).isInstanceOf(LimitException.class);
    assertThat(ended.cause().code()).isEqualTo(ErrorCode.SLOW_CONSUMER);
    Subscription subscription = opened.subscription();
    assertThat(subscription.isActive()).isFalse();
    assertThat(subscription.failure()).containsSame(ended.cause());

    Iterator<ReceivedRecord> records = subscription.iterator();
    assertThat(records.next().payloadAsString()).isEqualTo("a");
    assertThat(records.next().payloadAsString()).isEqualTo("b");
    assertThatThrownBy(records::hasNext)
        .isInstanceOf(LimitException.class)
        .hasMessageContaining("fell behind");
    // The part that ended needs no Unsubscribe: the server already ended it.
    assertThat(connection.poll(Duration.ofMillis(100))).isNull();
  }

  @Test
  void closeSendsUnsubscribeAndWaitsForOk() throws Exception {
    connect(server.clientOptions());
    Opened opened = open(SubscribeOptions.latest(), null, 0);
    connection.autoAnswerUnsubscribe = false;
    CompletableFuture<Void> closing = CompletableFuture.runAsync(opened.subscription()::close);

    var unsubscribe = connection.expect(Unsubscribe.class);
    assertThat(unsubscribe.message().subscriptionId()).isEqualTo(7);
    assertThat(closing).isNotDone();
    connection.send(unsubscribe.requestId(), dev.felix.wire.message.Ok.INSTANCE);
    opened.server().finish();
    Await.result(closing);

    assertThat(opened.subscription().isActive()).isFalse();
    assertThat(opened.subscription().failure()).isEmpty();
    assertThat(opened.subscription().poll(Duration.ofMillis(1))).isNull();
    assertThat(opened.subscription().iterator().hasNext()).isFalse();
    opened.subscription().close();
  }

  @Test
  void refusedSubscribeThrowsTheTypedError() throws Exception {
    connect(server.clientOptions());
    CompletableFuture<Subscription> subscribing =
        CompletableFuture.supplyAsync(() -> client.subscribe("nope", SubscribeOptions.latest()));
    var subscribe = connection.expect(Subscribe.class);
    connection.sendError(subscribe.requestId(), ErrorCode.NOT_FOUND, "no stream nope");
    Throwable failure = Await.failure(subscribing);
    assertThat(failure).isInstanceOf(NotFoundException.class);
    assertThat(((FelixException) failure).code()).isEqualTo(ErrorCode.NOT_FOUND);
  }

  @Test
  void fullReceiveBufferPausesReadingUntilDrained() throws Exception {
    // Small QUIC windows on the client, so the server feels the pause quickly.
    TransportConfig small =
        TransportConfig.builder()
            .eventLoopThreads(1)
            .initialMaxDataBytes(256 * 1024)
            .initialMaxStreamDataBytes(32 * 1024)
            .build();
    connect(server.clientOptions().transport(small));
    SubscribeOptions options = SubscribeOptions.builder().receiveBufferRecords(20).build();
    Opened opened = open(options, null, 0);
    Subscription subscription = opened.subscription();

    // 400 batches of 10 records of 512 bytes: about 2 MiB, far beyond every window.
    int batches = 400;
    for (int b = 0; b < batches; b++) {
      opened.server().bulk(ORDERS, 0, b * 10L, 10, 512);
    }
    Await.until(
        "the server's subscription stream backs up", () -> !opened.server().stream.isWritable());
    // The server's queue can back up before the first frame arrives: wait for the buffer to fill.
    Await.until("the receive buffer to fill", () -> subscription.bufferedRecords() >= 20);
    // Reading paused near the bound: what one read delivered can exceed it, QUIC holds the rest.
    // One read can hold up to the connection window the client granted (256 KiB = 512 records of
    // 512 bytes; with 16 KiB loopback datagrams and 16 datagrams a read, one read loop can take a
    // window's worth), so that is the excess allowed; without the pause all 4,000 would pile up.
    int bound = 20 + 256 * 1024 / 512;
    assertThat(subscription.bufferedRecords()).isBetween(20, bound);

    long expected = 0;
    while (expected < batches * 10L) {
      ReceivedRecord record = subscription.poll(WAIT);
      assertThat(record).as("record %d", expected).isNotNull();
      assertThat(record.offset()).isEqualTo(expected);
      assertThat(subscription.bufferedRecords()).isLessThanOrEqualTo(bound);
      expected++;
    }
    assertThat(subscription.nextOffsets()).containsEntry(0, batches * 10L);
  }
}
