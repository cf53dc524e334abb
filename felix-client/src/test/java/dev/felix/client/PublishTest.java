package dev.felix.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.error.LimitException;
import dev.felix.error.NotFoundException;
import dev.felix.error.StorageException;
import dev.felix.error.UnavailableException;
import dev.felix.wire.Frame;
import dev.felix.wire.message.AckMode;
import dev.felix.wire.message.HelloOk;
import dev.felix.wire.message.PublishAck;
import dev.felix.wire.message.PublishBatch;
import dev.felix.wire.message.RecordData;
import dev.felix.wire.message.StreamRef;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publishing against the scripted server: acks, batching, pipelining, errors, bounds. */
class PublishTest {
  static final StreamRef ORDERS = StreamRef.of("orders");

  @TempDir static Path dataDir;
  static FakeServer server;

  FelixClient client;
  FakeConnection connection;
  final RecordingListener listener = new RecordingListener();

  @BeforeAll
  static void start() {
    server = FakeServer.start(dataDir);
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
    connect(options, FakeConnection.helloOk());
  }

  private void connect(FelixOptions.Builder options, HelloOk ok) throws Exception {
    FelixOptions built = options.listener(listener).build();
    CompletableFuture<FelixClient> connecting =
        CompletableFuture.supplyAsync(() -> Felix.connect(built));
    connection = server.accept();
    connection.handshake(ok);
    client = Await.result(connecting);
  }

  /** Connects with a fake connection that acknowledges every LEADER publish by itself. */
  private void connectAutoAcking(FelixOptions.Builder options, HelloOk ok) throws Exception {
    FelixOptions built = options.listener(listener).build();
    CompletableFuture<FelixClient> connecting =
        CompletableFuture.supplyAsync(() -> Felix.connect(built));
    connection = server.accept();
    connection.autoAck = true;
    connection.handshake(ok);
    client = Await.result(connecting);
  }

  private static BatchingPolicy batches(int records) {
    // A long linger: batches are cut by count alone, so the test is deterministic.
    return BatchingPolicy.DEFAULT.withMaxBatchRecords(records).withLinger(Duration.ofSeconds(10));
  }

  private static List<String> payloads(PublishBatch batch) {
    List<String> out = new ArrayList<>();
    for (RecordData record : batch.records().toRecords()) {
      out.add(record.payload().toUtf8());
    }
    return out;
  }

  @Test
  void syncPublishWaitsForTheLeaderAck() throws Exception {
    connect(server.clientOptions());
    CompletableFuture<PublishReceipt> publishing =
        CompletableFuture.supplyAsync(
            () -> client.publish("orders", "hi".getBytes(StandardCharsets.UTF_8)));

    var publish = connection.expect(PublishBatch.class);
    assertThat(publish.message().target().stream()).isEqualTo(ORDERS);
    assertThat(publish.message().target().shard()).isEqualTo(-1);
    assertThat(publish.message().target().ackMode()).isEqualTo(AckMode.LEADER);
    assertThat(publish.message().target().producerId()).isZero();
    assertThat(payloads(publish.message())).containsExactly("hi");
    assertThat(publishing).isNotDone();

    connection.send(publish.requestId(), PublishAck.appended(0, 41, 1));
    assertThat(Await.result(publishing)).isEqualTo(new PublishReceipt(ORDERS, 0, 41));
  }

  @Test
  void messageBuilderCarriesKeyHeadersTimestampAndShard() throws Exception {
    connect(server.clientOptions());
    OutgoingMessage message =
        OutgoingMessage.builder(new StreamRef("acme", "billing", "invoices"))
            .key("customer-42")
            .header("content-type", "text/plain")
            .timestampMs(1_700_000_000_000L)
            .shard(3)
            .payload("total 12")
            .build();
    CompletableFuture<PublishReceipt> publishing = client.publishAsync(message);

    var publish = connection.expect(PublishBatch.class);
    assertThat(publish.message().target().shard()).isEqualTo(3);
    RecordData record = publish.message().records().toRecords().get(0);
    assertThat(record.key().toUtf8()).isEqualTo("customer-42");
    assertThat(record.headers().get(0).name()).isEqualTo("content-type");
    assertThat(record.timestampMs()).isEqualTo(1_700_000_000_000L);
    connection.send(publish.requestId(), PublishAck.appended(3, 0, 1));
    assertThat(Await.result(publishing).shard()).isEqualTo(3);
  }

  @Test
  void concurrentAsyncPublishesCoalesceIntoOneBatchWithPerRecordOffsets() throws Exception {
    connect(server.clientOptions().batching(batches(10)));
    List<CompletableFuture<PublishReceipt>> futures = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      futures.add(client.publishAsync("orders", ("m" + i).getBytes(StandardCharsets.UTF_8)));
    }

    var batch = connection.expect(PublishBatch.class);
    assertThat(payloads(batch.message()))
        .containsExactly("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9");
    connection.send(batch.requestId(), PublishAck.appended(1, 500, 10));
    for (int i = 0; i < 10; i++) {
      PublishReceipt receipt = Await.result(futures.get(i));
      assertThat(receipt.shard()).isEqualTo(1);
      assertThat(receipt.offset()).isEqualTo(500 + i);
    }
  }

  @Test
  void batchesArePipelinedAndMatchedByRequestIdIncludingAFailedRange() throws Exception {
    connect(server.clientOptions().batching(batches(10)));
    List<CompletableFuture<PublishReceipt>> futures = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      futures.add(client.publishAsync("orders", ("m" + i).getBytes(StandardCharsets.UTF_8)));
    }
    // All three batches arrive before any is acknowledged: they are pipelined.
    var first = connection.expect(PublishBatch.class);
    var second = connection.expect(PublishBatch.class);
    var third = connection.expect(PublishBatch.class);
    assertThat(List.of(first.requestId(), second.requestId(), third.requestId()))
        .doesNotHaveDuplicates();
    assertThat(payloads(second.message()).get(0)).isEqualTo("m10");

    // Answered in reverse order; the second batch partly failed.
    connection.send(third.requestId(), PublishAck.appended(0, 20, 10));
    connection.send(
        second.requestId(),
        new PublishAck(
            List.of(
                PublishAck.Range.appended(1, 100, 3),
                PublishAck.Range.failed(ErrorCode.STORAGE_FULL, 2),
                PublishAck.Range.appended(2, 7, 5))));
    connection.send(first.requestId(), PublishAck.appended(0, 0, 10));

    for (int i = 0; i < 10; i++) {
      assertThat(Await.result(futures.get(i)).offset()).isEqualTo(i);
      assertThat(Await.result(futures.get(20 + i)).offset()).isEqualTo(20 + i);
    }
    assertThat(Await.result(futures.get(10))).isEqualTo(new PublishReceipt(ORDERS, 1, 100));
    assertThat(Await.result(futures.get(12))).isEqualTo(new PublishReceipt(ORDERS, 1, 102));
    for (int i = 13; i <= 14; i++) {
      Throwable failure = Await.failure(futures.get(i));
      assertThat(failure).isInstanceOf(StorageException.class);
      assertThat(((FelixException) failure).code()).isEqualTo(ErrorCode.STORAGE_FULL);
    }
    assertThat(Await.result(futures.get(15))).isEqualTo(new PublishReceipt(ORDERS, 2, 7));
    assertThat(Await.result(futures.get(19))).isEqualTo(new PublishReceipt(ORDERS, 2, 11));
  }

  @Test
  void asyncCompletionsRunOnTheCallbackThread() throws Exception {
    connect(server.clientOptions());
    CompletableFuture<String> thread =
        client
            .publishAsync("orders", new byte[] {1})
            .thenApply(receipt -> Thread.currentThread().getName());
    var publish = connection.expect(PublishBatch.class);
    connection.send(publish.requestId(), PublishAck.appended(0, 0, 1));
    assertThat(Await.result(thread)).startsWith("felix-client-").endsWith("-callbacks");
  }

  @Test
  void errorAnswerFailsTheWholeBatchWithItsTypedException() throws Exception {
    connect(server.clientOptions());
    CompletableFuture<PublishReceipt> publishing = client.publishAsync("missing", new byte[] {1});
    var publish = connection.expect(PublishBatch.class);
    connection.sendError(publish.requestId(), ErrorCode.NOT_FOUND, "no stream missing");
    Throwable failure = Await.failure(publishing);
    assertThat(failure).isInstanceOf(NotFoundException.class).hasMessageContaining("missing");
  }

  @Test
  void ackNonePublishReturnsAtOnceAndItsErrorReachesTheListener() throws Exception {
    connect(server.clientOptions());
    OutgoingMessage message =
        OutgoingMessage.builder("audit").ackMode(AckMode.NONE).payload("x").build();
    PublishReceipt receipt = client.publish(message);
    assertThat(receipt.acknowledged()).isFalse();
    assertThat(receipt.stream()).isEqualTo(StreamRef.of("audit"));

    var publish = connection.expect(PublishBatch.class);
    assertThat(publish.message().target().ackMode()).isEqualTo(AckMode.NONE);
    assertThat(publish.requestId()).isNotZero();
    connection.sendError(publish.requestId(), ErrorCode.PERMISSION_DENIED, "read-only stream");

    RecordingListener.PublishFailed failed = listener.await(RecordingListener.PublishFailed.class);
    assertThat(failed.stream()).isEqualTo(StreamRef.of("audit"));
    assertThat(failed.error().code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
  }

  @Test
  void batchesKeepToTheServersRecordLimit() throws Exception {
    HelloOk ok = new HelloOk(1, 0, "fake", "r", 8 << 20, 4, 64 << 20, 100, 0);
    connect(server.clientOptions().batching(batches(100)), ok);
    List<CompletableFuture<PublishReceipt>> futures = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      futures.add(client.publishAsync("orders", new byte[] {(byte) i}));
    }
    var first = connection.expect(PublishBatch.class);
    var second = connection.expect(PublishBatch.class);
    assertThat(first.message().records().count()).isEqualTo(4);
    assertThat(second.message().records().count()).isEqualTo(4);
    connection.send(first.requestId(), PublishAck.appended(0, 0, 4));
    connection.send(second.requestId(), PublishAck.appended(0, 4, 4));
    assertThat(Await.result(futures.get(7)).offset()).isEqualTo(7);
  }

  @Test
  void inflightWindowHoldsBatchesBackUntilAcksMakeRoom() throws Exception {
    // The server allows 2 KiB in flight; each batch of one 1,000-byte record is about 1,080.
    HelloOk ok = new HelloOk(1, 0, "fake", "r", 8 << 20, 10_000, 2048, 100, 0);
    connect(server.clientOptions().batching(batches(1)), ok);
    CompletableFuture<PublishReceipt> first = client.publishAsync("orders", new byte[1000]);
    CompletableFuture<PublishReceipt> second = client.publishAsync("orders", new byte[1000]);

    var firstBatch = connection.expect(PublishBatch.class);
    Frame held = connection.poll(Duration.ofMillis(200));
    assertThat(held).as("the second batch waits for window room").isNull();
    assertThat(second).isNotDone();

    connection.send(firstBatch.requestId(), PublishAck.appended(0, 0, 1));
    var secondBatch = connection.expect(PublishBatch.class);
    connection.send(secondBatch.requestId(), PublishAck.appended(0, 1, 1));
    assertThat(Await.result(first).offset()).isZero();
    assertThat(Await.result(second).offset()).isEqualTo(1);
  }

  @Test
  void atMost32AcknowledgedBatchesOfAProducerAreUnansweredSoEveryResendStaysInTheBrokersWindow()
      throws Exception {
    connect(server.clientOptions().batching(batches(1)));
    List<CompletableFuture<PublishReceipt>> futures = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      futures.add(client.publishAsync("orders", new byte[] {(byte) i}));
    }
    List<Integer> requestIds = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      requestIds.add(connection.expect(PublishBatch.class).requestId());
    }
    assertThat(connection.poll(Duration.ofMillis(300)))
        .as("the 33rd batch waits for an answer (the broker remembers 32 per producer)")
        .isNull();

    connection.send(requestIds.get(0), PublishAck.appended(0, 0, 1));
    var next = connection.expect(PublishBatch.class);
    assertThat(payloads(next.message())).containsExactly(new String(new byte[] {32}, UTF_8));
    assertThat(Await.result(futures.get(0)).offset()).isZero();
  }

  @Test
  void fullLocalQueueFailsAsyncPublishWithBackpressure() throws Exception {
    HelloOk ok = new HelloOk(1, 0, "fake", "r", 8 << 20, 10_000, 1024, 100, 0);
    connect(
        server
            .clientOptions()
            .requestTimeout(Duration.ofSeconds(1))
            .batching(batches(1).withMaxQueuedBytes(1024)),
        ok);
    CompletableFuture<PublishReceipt> inFlight = client.publishAsync("orders", new byte[600]);
    connection.expect(PublishBatch.class);
    // The window is full with the first batch: the second waits in the queue, the third has no
    // room there.
    CompletableFuture<PublishReceipt> queued = client.publishAsync("orders", new byte[600]);
    CompletableFuture<PublishReceipt> refused = client.publishAsync("orders", new byte[600]);

    Throwable failure = Await.failure(refused);
    assertThat(failure).isInstanceOf(LimitException.class);
    assertThat(((FelixException) failure).code()).isEqualTo(ErrorCode.BACKPRESSURE);
    assertThat(queued).isNotDone();
    assertThat(inFlight).isNotDone();
  }

  @Test
  void unansweredPublishTimesOut() throws Exception {
    connect(server.clientOptions().requestTimeout(Duration.ofMillis(300)));
    assertThatThrownBy(() -> client.publish("orders", new byte[] {1}))
        .isInstanceOf(UnavailableException.class)
        .extracting(e -> ((FelixException) e).code())
        .isEqualTo(ErrorCode.TIMEOUT);
    connection.expect(PublishBatch.class);
  }

  @Test
  void recordLargerThanTheServersFrameIsRefusedLocally() throws Exception {
    HelloOk ok = new HelloOk(1, 0, "fake", "r", 4096, 10_000, 1 << 20, 100, 0);
    connect(server.clientOptions(), ok);
    assertThatThrownBy(() -> client.publish("orders", new byte[5000]))
        .isInstanceOf(LimitException.class)
        .extracting(e -> ((FelixException) e).code())
        .isEqualTo(ErrorCode.MESSAGE_TOO_LARGE);
  }

  @Test
  void aLaneBlockedOnItsWindowIsKickedAgainEveryTimeUnderSustainedPublishing() throws Exception {
    // A window of a few small batches and one thread publishing far ahead of it: the lane blocks
    // and is kicked by acks thousands of times, often while its flusher is still sending. A lost
    // kick leaves the lane waiting for room it already has, and the futures never complete.
    HelloOk ok = new HelloOk(1, 0, "fake", "r", 8 << 20, 10_000, 8 * 1024, 100, 0);
    connectAutoAcking(
        server.clientOptions().batching(BatchingPolicy.DEFAULT.withMaxBatchRecords(16)), ok);

    // Bursts, each awaited before the next (as the bench's publisher does): the lane empties at
    // the end of every burst, so a "waiting for room" mark left behind by a flush that went on to
    // send would strand the next burst (its publishes leave the lane to a kick that never comes).
    int bursts = 200;
    int perBurst = 256;
    Set<Long> offsets = new HashSet<>();
    for (int b = 0; b < bursts; b++) {
      List<CompletableFuture<PublishReceipt>> futures = new ArrayList<>(perBurst);
      for (int i = 0; i < perBurst; i++) {
        futures.add(client.publishAsync("orders", new byte[100]));
      }
      for (CompletableFuture<PublishReceipt> future : futures) {
        offsets.add(future.get(5, TimeUnit.SECONDS).offset());
      }
    }
    assertThat(offsets).hasSize(bursts * perBurst);
  }

  @Test
  void concurrentSyncAndAsyncPublishersGetEveryRecordAckedOnceInTheirOrder() throws Exception {
    // A 64 KiB window and 50-record batches: lanes block on the window and are kicked by acks.
    HelloOk ok = new HelloOk(1, 0, "fake", "r", 8 << 20, 10_000, 64 * 1024, 100, 0);
    connectAutoAcking(
        server.clientOptions().batching(BatchingPolicy.DEFAULT.withMaxBatchRecords(50)), ok);

    int threads = 8;
    int perThread = 400;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<CompletableFuture<List<Long>>> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      boolean sync = t % 2 == 0;
      workers.add(
          CompletableFuture.supplyAsync(
              () -> {
                List<CompletableFuture<PublishReceipt>> futures = new ArrayList<>();
                List<Long> offsets = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                  if (sync) {
                    offsets.add(client.publish("orders", new byte[100]).offset());
                  } else {
                    futures.add(client.publishAsync("orders", new byte[100]));
                  }
                }
                for (CompletableFuture<PublishReceipt> future : futures) {
                  offsets.add(future.join().offset());
                }
                return offsets;
              },
              pool));
    }
    Set<Long> all = new HashSet<>();
    try {
      for (CompletableFuture<List<Long>> worker : workers) {
        List<Long> offsets = Await.result(worker);
        // One thread's records share a lane, so their offsets follow publish order.
        assertThat(offsets).hasSize(perThread).isSorted();
        all.addAll(offsets);
      }
    } finally {
      pool.shutdownNow();
    }
    long total = (long) threads * perThread;
    assertThat(all).hasSize((int) total);
    assertThat(all).allMatch(offset -> offset >= 0 && offset < total);
  }
}
