package dev.felix.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.client.FelixClient;
import dev.felix.client.PublishReceipt;
import dev.felix.client.ReceivedRecord;
import dev.felix.client.SubscribeOptions;
import dev.felix.client.Subscription;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Publish and subscribe over real QUIC with the default configuration (one shard, block policy):
 * ordering, fan-out, and every start position while a publisher keeps writing. One server for the
 * class; each test has its own stream.
 */
class DeliveryTest {
  private static final Duration LONG = Duration.ofSeconds(60);

  @RegisterExtension static final EmbeddedFelix FELIX = EmbeddedFelix.withDefaults();

  @Test
  void tenThousandRecordsOfOneShardArriveInOrderWithDenseOffsets() throws Exception {
    String stream = EmbeddedFelix.uniqueStream("order");
    FelixClient subscriber = FELIX.connect();
    FelixClient publisher = FELIX.connect();
    Subscription subscription = subscriber.subscribe(stream, SubscribeOptions.earliest());

    try (SubscriptionCollector collector = SubscriptionCollector.start(subscription, stream)) {
      List<PublishReceipt> receipts = Records.publish(publisher, stream, 0, 10_000);
      Records.assertAckedInOrder(receipts, 0);

      collector.awaitCount(10_000, LONG);
      List<ReceivedRecord> records = collector.records();
      Records.assertExactly(records, 0, 10_000);
      assertThat(records)
          .allSatisfy(
              record -> {
                assertThat(record.shard()).isZero();
                assertThat(record.stream().stream()).isEqualTo(stream);
                assertThat(record.hasKey()).isFalse();
              });
      List<Long> timestamps = records.stream().map(ReceivedRecord::timestampMs).toList();
      assertThat(timestamps).as("broker-assigned timestamps never go back").isSorted();
    }
  }

  @Test
  void fanoutDeliversEveryRecordToTenSubscribersOnTenConnections() throws Exception {
    String stream = EmbeddedFelix.uniqueStream("fanout");
    List<SubscriptionCollector> collectors = new ArrayList<>();
    try {
      for (int i = 0; i < 10; i++) {
        Subscription subscription = FELIX.connect().subscribe(stream, SubscribeOptions.earliest());
        collectors.add(SubscriptionCollector.start(subscription, stream + "-" + i));
      }
      Records.publish(FELIX.connect(), stream, 0, 2_000);

      for (SubscriptionCollector collector : collectors) {
        collector.awaitCount(2_000, LONG);
        Records.assertExactly(collector.records(), 0, 2_000);
      }
    } finally {
      for (SubscriptionCollector collector : collectors) {
        collector.close();
      }
    }
  }

  @Test
  void latestSeesOnlyRecordsPublishedAfterSubscribing() throws Exception {
    String stream = EmbeddedFelix.uniqueStream("latest");
    FelixClient client = FELIX.connect();
    Records.publish(client, stream, 0, 100);

    Subscription subscription = client.subscribe(stream, SubscribeOptions.latest());
    assertThat(subscription.nextOffsets()).containsEntry(0, 100L);
    Records.publish(client, stream, 100, 50);

    List<ReceivedRecord> records = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      ReceivedRecord record = subscription.poll(LONG);
      assertThat(record).as("record %d of 50", i).isNotNull();
      records.add(record);
    }
    Records.assertExactly(records, 100, 150);
    assertThat(subscription.bufferedRecords()).isZero();
  }

  /** The start positions of the concurrent-publishing scenario. */
  enum Start {
    EARLIEST,
    OFFSET,
    TIMESTAMP,
    LATEST
  }

  /**
   * One scenario for every start position: 1,000 records exist, a publisher keeps appending, and a
   * subscriber opens in the middle of that. It must receive exactly the offsets from its start to
   * the last record published: the backlog, then live records, with no gap at the hand-over and no
   * record twice.
   */
  @ParameterizedTest
  @EnumSource(Start.class)
  void subscribeWhilePublishingHasNoGapAndNoDuplicate(Start start) throws Exception {
    String stream = EmbeddedFelix.uniqueStream("from-" + start.name().toLowerCase(Locale.ROOT));
    FelixClient publisher = FELIX.connect();
    FelixClient subscriber = FELIX.connect();
    Records.publish(publisher, stream, 0, 1_000);

    long expectedStart;
    SubscribeOptions options;
    switch (start) {
      case EARLIEST -> {
        expectedStart = 0;
        options = SubscribeOptions.earliest();
      }
      case OFFSET -> {
        expectedStart = 400;
        options = SubscribeOptions.fromOffset(400);
      }
      case TIMESTAMP -> {
        List<ReceivedRecord> history = readHistory(subscriber, stream, 1_000);
        long time = history.get(600).timestampMs();
        expectedStart =
            history.stream()
                .filter(r -> r.timestampMs() >= time)
                .findFirst()
                .orElseThrow()
                .offset();
        options = SubscribeOptions.fromTimestamp(Instant.ofEpochMilli(time));
      }
      case LATEST -> {
        expectedStart = -1; // known only from the first record; bounded below
        options = SubscribeOptions.latest();
      }
      default -> throw new IllegalStateException();
    }

    try (BackgroundPublisher background = BackgroundPublisher.start(publisher, stream, 1_000)) {
      background.awaitAcked(1_100);
      long ackedBeforeSubscribe = background.acked();
      Subscription subscription = subscriber.subscribe(stream, options);
      long sentAfterSubscribe = background.sent();

      try (SubscriptionCollector collector = SubscriptionCollector.start(subscription, stream)) {
        // Keep publishing until the subscriber has seen live records well past the hand-over.
        Await.until(
            () -> "live records past " + sentAfterSubscribe + ", got " + collector.size(),
            () -> collector.lastOffset() >= sentAfterSubscribe + 100,
            LONG);
        long total = background.stop();
        Await.until(
            () -> "the last record " + (total - 1) + ", got up to " + collector.lastOffset(),
            () -> collector.lastOffset() >= total - 1,
            LONG);

        List<ReceivedRecord> records = collector.records();
        if (start == Start.LATEST) {
          expectedStart = records.get(0).offset();
          assertThat(expectedStart)
              .as("latest starts after what was acknowledged before subscribing")
              .isGreaterThanOrEqualTo(ackedBeforeSubscribe)
              .as("and no later than what was sent once the subscription was confirmed")
              .isLessThanOrEqualTo(sentAfterSubscribe);
        }
        Records.assertExactly(records, expectedStart, total);
      }
    }
  }

  private static List<ReceivedRecord> readHistory(FelixClient client, String stream, int count)
      throws InterruptedException {
    List<ReceivedRecord> records = new ArrayList<>();
    try (Subscription subscription = client.subscribe(stream, SubscribeOptions.earliest())) {
      while (records.size() < count) {
        ReceivedRecord record = subscription.poll(LONG);
        assertThat(record).as("history record %d", records.size()).isNotNull();
        records.add(record);
      }
    }
    Records.assertExactly(records, 0, count);
    return records;
  }
}
