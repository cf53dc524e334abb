package dev.felix.broker;

import static dev.felix.broker.BrokerFixture.record;
import static dev.felix.broker.PublishTest.range;
import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.error.ErrorCode;
import dev.felix.storage.log.MemoryLogConfig;
import dev.felix.wire.message.EventsDropped;
import dev.felix.wire.message.StartPosition;
import dev.felix.wire.message.StreamRef;
import dev.felix.wire.message.Subscribe;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each policy with one stalled and one fast subscriber. Records are "r00".."r99" so every
 * single-record frame has the same size {@code frame}; send queues hold three of them.
 */
class BackPressureTest {
  private static final StreamRef FEED = StreamRef.of("feed");
  private static final StreamRef OTHER = StreamRef.of("other");

  private static int frameBytes() {
    try (BrokerFixture probe = new BrokerFixture()) {
      TestSink sink = probe.subscribe(FEED, StartPosition.LATEST);
      probe.publish(FEED, record("r00"));
      return sink.batches().get(0).frameLength();
    }
  }

  private static BrokerFixture fixture(
      BackPressurePolicy policy, MemoryLogConfig log, int batch, int queueBytes) {
    StreamConfig stream =
        StreamConfig.DEFAULTS
            .withPolicy(policy)
            .withSendQueueBytes(queueBytes)
            .withLog(log)
            .withBatching(new BatchingConfig(batch, 1 << 20, Duration.ZERO));
    return new BrokerFixture(BrokerConfig.builder().defaultStream(stream).build());
  }

  private static BrokerFixture fixture(BackPressurePolicy policy) {
    return fixture(policy, MemoryLogConfig.DEFAULTS, 1000, 3 * frameBytes() + 10);
  }

  /**
   * A log of 10 records, event batches of 2, and a 1-byte send queue: an empty queue still takes
   * one batch, so a stalled lagging subscriber reads exactly one batch and then waits.
   */
  private static BrokerFixture lagFixture(BackPressurePolicy policy) {
    return fixture(policy, MemoryLogConfig.DEFAULTS.withMaxRecords(10), 2, 1);
  }

  private static String name(int i) {
    return String.format("r%02d", i);
  }

  private static void publishAll(BrokerFixture fixture, int from, int to) {
    for (int i = from; i < to; i++) {
      assertThat(fixture.publish(FEED, record(name(i))).isAccepted()).isTrue();
    }
  }

  @Test
  void dropNewestDropsIncomingBatchesAndSaysWhere() {
    try (BrokerFixture fixture = fixture(BackPressurePolicy.DROP_NEWEST)) {
      TestSink fast = fixture.subscribe(FEED, StartPosition.LATEST);
      TestSink slow = fixture.subscribe(FEED, StartPosition.LATEST);
      slow.stall();
      publishAll(fixture, 0, 10);
      assertThat(fast.offsets()).isEqualTo(range(0, 10));

      slow.resume();
      publishAll(fixture, 10, 11);
      assertThat(slow.items()).hasSize(5);
      assertThat(slow.offsets()).containsExactly(0L, 1L, 2L, 10L);
      assertThat(slow.items().get(3)).isEqualTo(new EventsDropped(slow.subscriptionId(), 0, 7, 10));
      assertThat(slow.subscription().droppedRecords()).isEqualTo(7);
      assertThat(fast.subscription().droppedRecords()).isZero();
      assertThat(fixture.broker.metrics().droppedRecords()).isEqualTo(7);
      assertThat(fixture.broker.metrics().dropNotices()).isEqualTo(1);
    }
  }

  @Test
  void dropOldestKeepsTheNewestAndSaysWhatWentBefore() {
    try (BrokerFixture fixture = fixture(BackPressurePolicy.DROP_OLDEST)) {
      TestSink fast = fixture.subscribe(FEED, StartPosition.LATEST);
      TestSink slow = fixture.subscribe(FEED, StartPosition.LATEST);
      slow.stall();
      publishAll(fixture, 0, 10);
      assertThat(slow.subscription().queuedBytes()).isLessThanOrEqualTo(3L * frameBytes() + 10);

      slow.resume();
      assertThat(fast.offsets()).isEqualTo(range(0, 10));
      assertThat(slow.items().get(0)).isEqualTo(new EventsDropped(slow.subscriptionId(), 0, 7, 7));
      assertThat(slow.offsets()).containsExactly(7L, 8L, 9L);
      assertThat(slow.subscription().droppedRecords()).isEqualTo(7);
      assertThat(slow.subscription().queuedBytes()).isZero();
    }
  }

  @Test
  void disconnectEndsOnlyTheSlowSubscription() {
    try (BrokerFixture fixture = fixture(BackPressurePolicy.DISCONNECT)) {
      TestSink fast = fixture.subscribe(FEED, StartPosition.LATEST);
      TestSink slow = fixture.subscribe(FEED, StartPosition.LATEST);
      slow.stall();
      publishAll(fixture, 0, 10);
      assertThat(fast.offsets()).isEqualTo(range(0, 10));
      assertThat(slow.closedWith().code()).isEqualTo(ErrorCode.SLOW_CONSUMER);
      assertThat(slow.subscription().isClosed()).isTrue();
      assertThat(slow.subscription().queuedBytes()).isZero();
      assertThat(fixture.broker.metrics().slowConsumerDisconnects()).isEqualTo(1);
      assertThat(fixture.broker.metrics().subscriptions()).isEqualTo(1);
      publishAll(fixture, 10, 12);
      assertThat(fixture.broker.stream(FEED).orElseThrow().shards().get(0).subscriptions())
          .isEqualTo(1);
    }
  }

  @Test
  void blockHoldsPublishersOfThatStreamOnlyAndLosesNothing() {
    try (BrokerFixture fixture = fixture(BackPressurePolicy.BLOCK)) {
      TestSink fast = fixture.subscribe(FEED, StartPosition.LATEST);
      TestSink slow = fixture.subscribe(FEED, StartPosition.LATEST);
      TestSink elsewhere = fixture.subscribe(OTHER, StartPosition.LATEST);
      slow.stall();
      publishAll(fixture, 0, 4);
      PublishResult blocked = fixture.publish(FEED, record(name(4)));
      assertThat(blocked.status()).isEqualTo(PublishResult.Status.BLOCKED);
      assertThat(fixture.broker.metrics().publishBlocked()).isEqualTo(1);
      // Another stream is not affected.
      assertThat(fixture.publish(OTHER, record("x")).isAccepted()).isTrue();
      assertThat(elsewhere.payloads()).containsExactly("x");

      assertThat(blocked.retryWhen().toCompletableFuture().isDone()).isFalse();
      slow.resume();
      fixture.settle();
      assertThat(blocked.retryWhen().toCompletableFuture().isDone()).isTrue();
      publishAll(fixture, 4, 6);
      assertThat(slow.offsets()).isEqualTo(range(0, 6));
      assertThat(fast.offsets()).isEqualTo(range(0, 6));
      assertThat(slow.notices()).isEmpty();
      assertThat(fixture.broker.metrics().droppedRecords()).isZero();
    }
  }

  @Test
  void blockedPublishersShareOneSignal() {
    try (BrokerFixture fixture = fixture(BackPressurePolicy.BLOCK)) {
      TestSink slow = fixture.subscribe(FEED, StartPosition.LATEST);
      slow.stall();
      publishAll(fixture, 0, 4);
      PublishResult first = fixture.publish(FEED, record("a"));
      PublishResult second = fixture.publish(FEED, record("b"));
      assertThat(first.isAccepted()).isFalse();
      assertThat(second.isAccepted()).isFalse();
      slow.subscription().close();
      fixture.settle();
      assertThat(first.retryWhen().toCompletableFuture().isDone()).isTrue();
      assertThat(second.retryWhen().toCompletableFuture().isDone()).isTrue();
      assertThat(fixture.publish(FEED, record("a")).isAccepted()).isTrue();
    }
  }

  @Test
  void blockKeepsRecordsALaggingSubscriberHasNotReadYet() {
    try (BrokerFixture fixture = lagFixture(BackPressurePolicy.BLOCK)) {
      publishAll(fixture, 0, 10);
      TestSink lagging = fixture.subscribeUnsettled(Subscribe.of(FEED, StartPosition.EARLIEST));
      lagging.stall();
      fixture.settle(); // one catch-up batch of 2 records fills the queue
      publishAll(fixture, 10, 12); // evicts offsets 0 and 1, which are queued already
      PublishResult blocked = fixture.publish(FEED, record(name(12)));
      assertThat(blocked.isAccepted()).isFalse(); // would evict offset 2, not read yet

      lagging.resume();
      fixture.settle();
      assertThat(blocked.retryWhen().toCompletableFuture().isDone()).isTrue();
      publishAll(fixture, 12, 14);
      assertThat(lagging.offsets()).isEqualTo(range(0, 14));
      assertThat(lagging.notices()).isEmpty();
    }
  }

  @Test
  void lagBeyondTheRetainedLogIsReportedAsDropped() {
    try (BrokerFixture fixture = lagFixture(BackPressurePolicy.DROP_NEWEST)) {
      publishAll(fixture, 0, 10);
      TestSink lagging = fixture.subscribeUnsettled(Subscribe.of(FEED, StartPosition.EARLIEST));
      lagging.stall();
      fixture.settle();
      publishAll(fixture, 10, 15); // evicts 0..4; 2..4 were never read
      lagging.resume();
      fixture.settle();
      assertThat(lagging.offsets()).isEqualTo(concat(range(0, 2), range(5, 15)));
      assertThat(lagging.items().get(1))
          .isEqualTo(new EventsDropped(lagging.subscriptionId(), 0, 3, 5));
      assertThat(lagging.subscription().droppedRecords()).isEqualTo(3);
    }
  }

  @Test
  void lagBeyondTheRetainedLogDisconnectsUnderDisconnect() {
    try (BrokerFixture fixture = lagFixture(BackPressurePolicy.DISCONNECT)) {
      publishAll(fixture, 0, 10);
      TestSink lagging = fixture.subscribeUnsettled(Subscribe.of(FEED, StartPosition.EARLIEST));
      lagging.stall();
      fixture.settle();
      publishAll(fixture, 10, 15);
      lagging.resume();
      fixture.settle();
      assertThat(lagging.closedWith().code()).isEqualTo(ErrorCode.SLOW_CONSUMER);
    }
  }

  @Test
  void partiallyWritableSinkGetsEverythingInOrder() {
    try (BrokerFixture fixture = fixture(BackPressurePolicy.BLOCK)) {
      TestSink sink = fixture.subscribe(FEED, StartPosition.LATEST);
      int published = 0;
      for (int round = 0; round < 20; round++) {
        sink.acceptOnly(round % 3);
        while (fixture.publish(FEED, record(name(published))).isAccepted()) {
          published++;
        }
        sink.resume();
        fixture.settle();
      }
      assertThat(sink.offsets()).isEqualTo(range(0, published));
      assertThat(published).isGreaterThan(40);
    }
  }

  private static List<Long> concat(List<Long> first, List<Long> second) {
    List<Long> all = new java.util.ArrayList<>(first);
    all.addAll(second);
    return all;
  }
}
