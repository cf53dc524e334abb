package dev.felix.broker;

import static dev.felix.broker.BrokerFixture.record;
import static dev.felix.broker.PublishTest.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.error.NotFoundException;
import dev.felix.storage.log.MemoryLogConfig;
import dev.felix.wire.message.ShardOffset;
import dev.felix.wire.message.StartPosition;
import dev.felix.wire.message.StreamRef;
import dev.felix.wire.message.Subscribe;
import java.util.List;
import org.junit.jupiter.api.Test;

class CursorTest {
  private static final StreamRef LOG = StreamRef.of("log");

  private static void publishRange(BrokerFixture fixture, int from, int to) {
    for (int i = from; i < to; i++) {
      fixture.publish(LOG, record("r" + i));
    }
  }

  @Test
  void latestSeesOnlyNewRecords() {
    try (BrokerFixture fixture = new BrokerFixture()) {
      publishRange(fixture, 0, 5);
      TestSink sink = fixture.subscribe(LOG, StartPosition.LATEST);
      assertThat(sink.subscription().startOffsets()).containsExactly(new ShardOffset(0, 5));
      publishRange(fixture, 5, 8);
      assertThat(sink.offsets()).containsExactly(5L, 6L, 7L);
    }
  }

  @Test
  void earliestReplaysTheBacklogThenGoesLive() {
    try (BrokerFixture fixture = new BrokerFixture()) {
      publishRange(fixture, 0, 10);
      TestSink sink = fixture.subscribe(LOG, StartPosition.EARLIEST);
      assertThat(sink.offsets()).isEqualTo(range(0, 10));
      publishRange(fixture, 10, 15);
      assertThat(sink.offsets()).isEqualTo(range(0, 15));
      assertThat(sink.payloads().get(12)).isEqualTo("r12");
    }
  }

  @Test
  void catchUpInterleavedWithPublishingHasNoGapAndNoDuplicate() {
    // Small event batches and a one-batch step budget: the backlog takes many steps, and
    // publishes land between them.
    StreamConfig stream =
        StreamConfig.DEFAULTS.withBatching(new BatchingConfig(1000, 100, java.time.Duration.ZERO));
    BrokerConfig config =
        BrokerConfig.builder().catchUpBytesPerStep(60).defaultStream(stream).build();
    try (BrokerFixture fixture = new BrokerFixture(config)) {
      publishRange(fixture, 0, 20);
      TestSink sink = fixture.subscribeUnsettled(Subscribe.of(LOG, StartPosition.EARLIEST));
      int next = 20;
      int steps = 0;
      while (fixture.scheduler.pendingTasks() > 0) {
        steps++;
        fixture.publish(LOG, record("r" + next++), record("r" + next++));
        fixture.scheduler.runOne();
      }
      publishRange(fixture, next, next + 3);
      assertThat(sink.offsets()).isEqualTo(range(0, next + 3));
      assertThat(steps).isGreaterThan(5);
    }
  }

  @Test
  void offsetStartReplaysFromThatOffset() {
    try (BrokerFixture fixture = new BrokerFixture()) {
      publishRange(fixture, 0, 10);
      TestSink sink = fixture.subscribe(LOG, StartPosition.offset(4));
      publishRange(fixture, 10, 12);
      assertThat(sink.offsets()).isEqualTo(range(4, 12));
      TestSink atEnd = fixture.subscribe(LOG, StartPosition.offset(12));
      publishRange(fixture, 12, 13);
      assertThat(atEnd.offsets()).containsExactly(12L);
    }
  }

  @Test
  void timestampStartBeginsAtTheFirstRecordAtOrAfterTheTime() {
    try (BrokerFixture fixture = new BrokerFixture()) {
      long t0 = fixture.clock.epochMillis();
      for (int i = 0; i < 10; i++) {
        fixture.publish(LOG, record("r" + i));
        fixture.clock.advanceMillis(10);
      }
      TestSink sink = fixture.subscribe(LOG, StartPosition.timestamp(t0 + 35));
      assertThat(sink.offsets()).isEqualTo(range(4, 10));
      assertThat(sink.deliveries().get(0).record().timestampMs()).isEqualTo(t0 + 40);
      TestSink future = fixture.subscribe(LOG, StartPosition.timestamp(t0 + 1_000));
      assertThat(future.subscription().startOffsets()).containsExactly(new ShardOffset(0, 10));
    }
  }

  @Test
  void offsetBelowTheRetainedStartIsOutOfRangeUnlessAskedToFallBack() {
    StreamConfig small = StreamConfig.DEFAULTS.withLog(MemoryLogConfig.DEFAULTS.withMaxRecords(5));
    try (BrokerFixture fixture =
        new BrokerFixture(BrokerConfig.builder().defaultStream(small).build())) {
      publishRange(fixture, 0, 10);
      assertThatThrownBy(() -> fixture.subscribe(LOG, StartPosition.offset(2)))
          .isInstanceOf(NotFoundException.class)
          .satisfies(
              e ->
                  assertThat(((FelixException) e).code()).isEqualTo(ErrorCode.OFFSET_OUT_OF_RANGE));
      assertThatThrownBy(() -> fixture.subscribe(LOG, StartPosition.offset(11)))
          .satisfies(
              e ->
                  assertThat(((FelixException) e).code()).isEqualTo(ErrorCode.OFFSET_OUT_OF_RANGE));
      assertThat(fixture.broker.metrics().subscriptions()).isZero();

      TestSink fallback =
          fixture.subscribe(
              new Subscribe(
                  LOG,
                  -1,
                  StartPosition.offset(2),
                  Subscribe.FROM_EARLIEST_IF_OUT_OF_RANGE,
                  null,
                  0));
      assertThat(fallback.subscription().startOffsets()).containsExactly(new ShardOffset(0, 5));
      assertThat(fallback.offsets()).isEqualTo(range(5, 10));
    }
  }

  @Test
  void allShardSubscriptionKeepsEachShardContiguous() {
    try (BrokerFixture fixture = new BrokerFixture()) {
      fixture.broker.createStream(LOG, StreamConfig.DEFAULTS.withShards(3));
      publishRange(fixture, 0, 9);
      TestSink sink = fixture.subscribe(LOG, StartPosition.EARLIEST);
      publishRange(fixture, 9, 18);
      assertThat(sink.subscription().startOffsets())
          .containsExactly(new ShardOffset(0, 0), new ShardOffset(1, 0), new ShardOffset(2, 0));
      for (int shard = 0; shard < 3; shard++) {
        assertThat(sink.offsets(shard)).isEqualTo(range(0, 6));
      }
    }
  }

  @Test
  void unsubscribeStopsDeliveryAndDetachesTheCursor() {
    try (BrokerFixture fixture = new BrokerFixture()) {
      TestSink sink = fixture.subscribe(LOG, StartPosition.LATEST);
      publishRange(fixture, 0, 2);
      sink.subscription().close();
      sink.subscription().close();
      publishRange(fixture, 2, 4);
      assertThat(sink.offsets()).containsExactly(0L, 1L);
      assertThat(fixture.broker.stream(LOG).orElseThrow().shards().get(0).subscriptions()).isZero();
      assertThat(fixture.broker.metrics().subscriptions()).isZero();
      assertThat(sink.closedWith()).isNull();
    }
  }

  @Test
  void subscriptionLimitIsEnforced() {
    try (BrokerFixture fixture =
        new BrokerFixture(BrokerConfig.builder().maxSubscriptions(2).build())) {
      TestSink one = fixture.subscribe(LOG, StartPosition.LATEST);
      fixture.subscribe(LOG, StartPosition.LATEST);
      assertThatThrownBy(() -> fixture.subscribe(LOG, StartPosition.LATEST))
          .satisfies(
              e -> assertThat(((FelixException) e).code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED));
      one.subscription().close();
      fixture.subscribe(LOG, StartPosition.LATEST);
      assertThat(fixture.broker.metrics().subscriptions()).isEqualTo(2);
      assertThat(fixture.broker.metrics().subscriptionsOpened()).isEqualTo(3);
    }
  }

  static List<Long> offsets(TestSink sink) {
    return sink.offsets();
  }
}
