package dev.felix.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.client.BatchingPolicy;
import dev.felix.client.FelixClient;
import dev.felix.client.PublishReceipt;
import dev.felix.client.ReceivedRecord;
import dev.felix.client.SubscribeOptions;
import dev.felix.client.Subscription;
import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.transport.TransportConfig;
import dev.felix.wire.Frame;
import dev.felix.wire.message.ErrorReply;
import dev.felix.wire.message.StartPosition;
import dev.felix.wire.message.StreamRef;
import dev.felix.wire.message.Subscribe;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every back-pressure policy with two subscribers on one stream: a fast one that polls all the time
 * and a stalled one that does not poll at all (tiny receive buffer and QUIC windows, so its
 * connection stops reading almost at once and the server's queues for it fill up). Each policy gets
 * its own server, because the policy is a server setting for auto-created streams; the send queue
 * and event batches are made small so that a few MiB of records are enough.
 */
class BackPressureTest {
  private static final int RECORDS = 3_000;
  private static final int RECORD_SIZE = 1_024;
  private static final Duration LONG = Duration.ofSeconds(90);

  /**
   * felix-transport bug, found by the two disabled tests here: when a server stream with a backlog
   * is finished (FIN), {@code OutboundQueue.writeFin} closes the Netty stream channel if the FIN
   * write does not complete at once while {@code channel.isWritable()} is true. Netty QUIC's
   * writability follows quiche's stream capacity, not what is still queued in Netty, so this
   * happens under load; the close then sends a FIN at the current offset and fails every queued
   * write. The peer sees its stream end in the middle of a frame and never gets the final Error.
   */
  static final String TRUNCATED_STREAM_END =
      "regression: OutboundQueue.writeFin truncated a finished stream with a backlog (fixed)";

  /**
   * {@code block} is lossless: the stalled subscriber holds the publisher back (it is slowed, its
   * publishes wait), nothing fails, and once the subscriber reads (slowly, through its tiny buffer)
   * both subscribers receive every record.
   */
  @Test
  void blockSlowsThePublisherAndLosesNothing() throws Exception {
    try (Stage stage = Stage.start("block")) {
      List<CompletableFuture<PublishReceipt>> pending =
          Records.publishAsync(stage.publisher, stage.stream, 0, RECORDS, RECORD_SIZE);

      Await.until(
          () ->
              "the broker to hold the publisher back; "
                  + pending.stream().filter(CompletableFuture::isDone).count()
                  + " publishes done, fast subscriber has "
                  + stage.fast.size()
                  + ", stalled buffered "
                  + stage.stalled.bufferedRecords()
                  + "; "
                  + stage.felix.metrics().samplesStartingWith("felix_broker_")
                  + stage.felix.metrics().samplesStartingWith("felix_publish")
                  + stage.felix.metrics().samplesStartingWith("felix_connection"),
          () -> stage.felix.metrics().value("felix_broker_publish_blocked_total") >= 1,
          LONG);
      long done = pending.stream().filter(CompletableFuture::isDone).count();
      assertThat(done).as("publishes completed while the subscriber stalls").isLessThan(RECORDS);
      assertThat(pending.stream().filter(CompletableFuture::isCompletedExceptionally).count())
          .as("publishes failed")
          .isZero();

      try (SubscriptionCollector slow = SubscriptionCollector.start(stage.stalled, "slow")) {
        Await.until(
            () ->
                "every publish to complete: "
                    + pending.stream().filter(CompletableFuture::isDone).count()
                    + " done; slow subscriber has "
                    + slow.size()
                    + " (buffered "
                    + stage.stalled.bufferedRecords()
                    + "), fast "
                    + stage.fast.size()
                    + "; "
                    + stage.felix.metrics().samplesStartingWith("felix_broker_"),
            () -> pending.stream().allMatch(CompletableFuture::isDone),
            LONG);
        Records.await(pending, stage.stream);
        slow.awaitCount(RECORDS, LONG);
        Records.assertExactly(slow.records(), 0, RECORDS, RECORD_SIZE);
      }
      stage.fast.awaitCount(RECORDS, LONG);
      Records.assertExactly(stage.fast.records(), 0, RECORDS, RECORD_SIZE);
      assertThat(stage.stalledListener.drops).as("drops under block").isEmpty();
    }
  }

  /**
   * {@code drop_oldest} and {@code drop_newest}: the publisher is never slowed and the fast
   * subscriber receives everything while the other is still stalled; the stalled one loses records
   * and is told exactly which, through {@code ClientListener.onEventsDropped}: what it received
   * plus what it was told it lost is every record, each once.
   */
  @ParameterizedTest
  @ValueSource(strings = {"drop_oldest", "drop_newest"})
  void dropPoliciesReportEveryDropAndNeverSlowTheFastSubscriber(String policy) throws Exception {
    try (Stage stage = Stage.start(policy)) {
      stage.publishPacedByTheFastSubscriber();
      Records.assertExactly(stage.fast.records(), 0, RECORDS, RECORD_SIZE);
      assertThat(stage.fastListener.drops).as("drops for the fast subscriber").isEmpty();
      assertThat(stage.felix.metrics().value("felix_broker_dropped_records_total"))
          .as("records dropped for the stalled subscriber")
          .isGreaterThan(0);

      try (SubscriptionCollector stalled = SubscriptionCollector.start(stage.stalled, "stalled")) {
        RecordingListener listener = stage.stalledListener;
        Await.until(
            () ->
                "received "
                    + stalled.size()
                    + " + reported dropped "
                    + listener.droppedTotal()
                    + " = "
                    + RECORDS,
            () -> stalled.size() + listener.droppedTotal() >= RECORDS,
            LONG);
        List<ReceivedRecord> received = stalled.records();
        assertThat(listener.drops).isNotEmpty();
        assertReceivedPlusDroppedIsEveryRecordOnce(received, listener.drops);
        Records.assertPayloads(received, RECORD_SIZE);
        List<Long> offsets = Records.offsets(received);
        if (policy.equals("drop_newest")) {
          assertThat(offsets).as("drop_newest keeps the oldest").contains(0L);
        } else {
          assertThat(offsets).as("drop_oldest keeps the newest").contains((long) RECORDS - 1);
        }
      }
    }
  }

  /**
   * {@code disconnect}: the broker ends the stalled subscription (SLOW_CONSUMER, counted), while
   * the publisher and the fast subscriber are unaffected.
   */
  @Test
  void disconnectEndsTheStalledSubscriptionAndNotTheFastOne() throws Exception {
    try (Stage stage = Stage.start("disconnect")) {
      stage.publishPacedByTheFastSubscriber();
      Records.assertExactly(stage.fast.records(), 0, RECORDS, RECORD_SIZE);
      assertThat(stage.fastListener.subscriptionEnds).isEmpty();
      Metrics metrics = stage.felix.metrics();
      assertThat(metrics.value("felix_broker_slow_consumer_disconnects_total")).isEqualTo(1);
      assertThat(metrics.errors("SLOW_CONSUMER")).isEqualTo(1);
    }
  }

  /**
   * {@code disconnect} as the stalled client sees it: the records it had been sent, then the end of
   * the subscription with SLOW_CONSUMER, through {@code Subscription.failure()} and {@code
   * ClientListener.onSubscriptionEnded}.
   */
  @Test
  void disconnectTellsTheStalledSubscriberSlowConsumer() throws Exception {
    try (Stage stage = Stage.start("disconnect")) {
      Records.await(
          Records.publishAsync(stage.publisher, stage.stream, 0, RECORDS, RECORD_SIZE),
          stage.stream);
      Await.until(
          "the broker to disconnect the stalled subscriber",
          () -> stage.felix.metrics().value("felix_broker_slow_consumer_disconnects_total") >= 1,
          LONG);

      try (SubscriptionCollector stalled = SubscriptionCollector.start(stage.stalled, "stalled")) {
        Await.until(
            () ->
                "the stalled subscription to end; received "
                    + stalled.size()
                    + ", active "
                    + stage.stalled.isActive()
                    + ", listener errors "
                    + stage.stalledListener.errors,
            stalled::isFinished,
            LONG);
        List<ReceivedRecord> received = stalled.records();
        assertThat(received.size()).as("records before the disconnect").isLessThan(RECORDS);
        Records.assertExactly(received, 0, received.size(), RECORD_SIZE);
      }
      assertThat(stage.stalled.failure().map(FelixException::code))
          .contains(ErrorCode.SLOW_CONSUMER);
      Await.until(
          "onSubscriptionEnded", () -> !stage.stalledListener.subscriptionEnds.isEmpty(), LONG);
      assertThat(stage.stalledListener.subscriptionEnds.get(0).code())
          .isEqualTo(ErrorCode.SLOW_CONSUMER);
      assertThat(stage.stalledListener.errors).isEmpty();
    }
  }

  /**
   * The server side of {@code disconnect}, seen by a raw peer that does not read its subscription
   * stream: when the broker ends the subscription, the events already handed to the stream still
   * arrive intact, then Error SLOW_CONSUMER with the Subscribe's request id, then the end of the
   * stream (protocol.md section 1.3).
   */
  @Test
  void disconnectSendsQueuedEventsThenSlowConsumerOnTheSubscriptionStream() throws Exception {
    try (EmbeddedFelix felix =
            EmbeddedFelix.start(
                Map.of(
                    "FELIX_STREAM_BACKPRESSURE", "disconnect",
                    "FELIX_STREAM_SEND_QUEUE_BYTES", "65536",
                    "FELIX_STREAM_BATCH_MAX_BYTES", "16384"));
        RawConnection raw =
            RawConnection.connect(
                felix.quicSocketAddress().getPort(),
                felix.caFile(),
                TransportConfig.defaults().toBuilder()
                    .eventLoopThreads(1)
                    .initialMaxStreamDataBytes(32 * 1024)
                    .initialMaxDataBytes(256 * 1024)
                    .build())) {
      String stream = EmbeddedFelix.uniqueStream("raw-disconnect");
      raw.hello();
      raw.pauseSubscriptionStreams();
      raw.send(7, Subscribe.of(StreamRef.of(stream), StartPosition.EARLIEST));
      Await.until("Subscribed", () -> !raw.subscriptionStreamsOpened().isEmpty(), LONG);

      Records.await(Records.publishAsync(felix.connect(), stream, 0, RECORDS, RECORD_SIZE), stream);
      Await.until(
          "the broker to disconnect the subscriber",
          () -> felix.metrics().value("felix_broker_slow_consumer_disconnects_total") >= 1,
          LONG);
      raw.resumeSubscriptionStreams();

      Await.until(
          () ->
              "Error SLOW_CONSUMER on the subscription stream; frames "
                  + raw.subscriptionFrames().size()
                  + ", offsets up to "
                  + raw.receivedOffsets().size()
                  + ", trouble "
                  + raw.subscriptionStreamTrouble(),
          () ->
              raw.subscriptionFrames().stream()
                  .anyMatch(frame -> frame.message() instanceof ErrorReply),
          LONG);
      assertThat(raw.subscriptionStreamTrouble()).isEmpty();
      List<Frame> frames = raw.subscriptionFrames();
      Frame last = frames.get(frames.size() - 1);
      assertThat(last.requestId()).isEqualTo(7);
      assertThat(((ErrorReply) last.message()).errorCode()).isEqualTo(ErrorCode.SLOW_CONSUMER);
      List<Long> offsets = raw.receivedOffsets();
      assertThat(offsets).containsExactlyElementsOf(Records.range(0, offsets.size()));
    }
  }

  private static void assertReceivedPlusDroppedIsEveryRecordOnce(
      List<ReceivedRecord> received, List<RecordingListener.Drop> drops) {
    Set<Long> seen = new HashSet<>();
    for (ReceivedRecord record : received) {
      assertThat(seen.add(record.offset()))
          .as("offset %d received twice", record.offset())
          .isTrue();
    }
    assertThat(Records.offsets(received)).as("received in offset order").isSorted();
    for (RecordingListener.Drop drop : drops) {
      assertThat(drop.shard()).isZero();
      assertThat(drop.droppedCount()).isPositive();
      for (long offset = drop.nextOffset() - drop.droppedCount();
          offset < drop.nextOffset();
          offset++) {
        assertThat(seen.add(offset))
            .as("offset %d reported dropped (%s) but also received or dropped before", offset, drop)
            .isTrue();
      }
    }
    assertThat(seen).as("received or reported dropped").hasSize(RECORDS);
    assertThat(seen).allSatisfy(offset -> assertThat(offset).isBetween(0L, (long) RECORDS - 1));
  }

  /**
   * The shared set-up: a server with the policy, a publisher, a fast subscriber being collected,
   * and a stalled subscription that nobody polls until the test says so.
   */
  private static final class Stage implements AutoCloseable {
    final EmbeddedFelix felix;
    final String stream;
    final FelixClient publisher;
    final SubscriptionCollector fast;
    final Subscription stalled;
    final RecordingListener fastListener = new RecordingListener();
    final RecordingListener stalledListener = new RecordingListener();

    private Stage(String policy) {
      felix =
          EmbeddedFelix.start(
              Map.of(
                  "FELIX_STREAM_BACKPRESSURE", policy,
                  "FELIX_STREAM_SEND_QUEUE_BYTES", "65536",
                  "FELIX_STREAM_BATCH_MAX_BYTES", "16384"));
      stream = EmbeddedFelix.uniqueStream(policy.replace('_', '-'));
      // Publishes may wait while the stalled subscriber holds a blocking stream back. Small
      // batches and a 512 KiB in-flight window keep the publisher's control stream below the
      // transport's 1 MiB send-queue mark (TransportWritabilityTest.LOST_WAKE_UP) and make it feel
      // back-pressure through its window.
      publisher =
          felix.connect(
              options ->
                  options
                      .requestTimeout(LONG)
                      .batching(
                          BatchingPolicy.DEFAULT
                              .withMaxBatchBytes(64 * 1024)
                              .withMaxInflightBytes(512 * 1024)));
      fast =
          SubscriptionCollector.start(
              felix
                  .connect(options -> options.listener(fastListener))
                  .subscribe(stream, SubscribeOptions.earliest()),
              "fast");
      FelixClient stalledClient =
          felix.connect(
              options ->
                  options
                      .listener(stalledListener)
                      .transport(
                          TransportConfig.defaults().toBuilder()
                              .eventLoopThreads(1)
                              .initialMaxStreamDataBytes(32 * 1024)
                              .initialMaxDataBytes(256 * 1024)
                              .build()));
      stalled =
          stalledClient.subscribe(
              stream,
              SubscribeOptions.builder()
                  .start(StartPosition.EARLIEST)
                  .receiveBufferRecords(8)
                  .receiveBufferBytes(1024)
                  .build());
    }

    static Stage start(String policy) {
      return new Stage(policy);
    }

    /**
     * Publishes every record in chunks, each chunk only after the fast subscriber received the
     * previous one. On this overloaded machine an unpaced burst can overflow even an attentive
     * subscriber's send queue; paced, only the stalled subscriber falls behind, and the fast one
     * receiving every chunk while the other is stalled is the proof that it is not held back.
     */
    void publishPacedByTheFastSubscriber() {
      int chunk = 100;
      for (int from = 0; from < RECORDS; from += chunk) {
        Records.await(Records.publishAsync(publisher, stream, from, chunk, RECORD_SIZE), stream);
        fast.awaitCount(from + chunk, LONG);
      }
    }

    @Override
    public void close() {
      try {
        fast.close();
      } finally {
        felix.close();
      }
    }
  }
}
