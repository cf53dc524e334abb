package dev.felix.broker;

import static dev.felix.broker.BrokerFixture.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.wire.message.StartPosition;
import dev.felix.wire.message.StreamRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FanoutTest {
  private static final StreamRef TICKS = StreamRef.of("ticks");

  @Test
  void tenSubscribersShareOneEncodedBuffer() {
    try (BrokerFixture fixture = new BrokerFixture()) {
      List<TestSink> sinks = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        sinks.add(fixture.subscribe(TICKS, StartPosition.LATEST));
      }
      fixture.publish(TICKS, record("a"), record("b"), record("c"));

      SharedEvents first = sinks.get(0).batches().get(0);
      for (TestSink sink : sinks) {
        assertThat(sink.batches()).singleElement().isSameAs(first);
        assertThat(sink.payloads()).containsExactly("a", "b", "c");
      }
      BrokerMetrics metrics = fixture.broker.metrics();
      assertThat(metrics.eventBatchesEncoded()).isEqualTo(1);
      assertThat(metrics.eventBatchesDelivered()).isEqualTo(10);
      assertThat(metrics.eventRecordsDelivered()).isEqualTo(30);
      assertThat(metrics.eventBytesDelivered()).isEqualTo(10L * first.frameLength());
    }
  }

  @Test
  void framesDifferOnlyInTheSubscriptionId() {
    try (BrokerFixture fixture = new BrokerFixture()) {
      TestSink one = fixture.subscribe(TICKS, StartPosition.LATEST);
      TestSink two = fixture.subscribe(TICKS, StartPosition.LATEST);
      fixture.publish(TICKS, record("x"));
      SharedEvents events = one.batches().get(0);
      var frameOne = events.toFrame(one.subscriptionId());
      var frameTwo = events.toFrame(two.subscriptionId());
      int differing = 0;
      for (int i = 0; i < frameOne.limit(); i++) {
        if (frameOne.get(i) != frameTwo.get(i)) {
          differing++;
          assertThat(i).isBetween(16, 19);
        }
      }
      assertThat(differing).isPositive();
    }
  }

  @Test
  void publishWithoutSubscribersEncodesNothing() {
    try (BrokerFixture fixture = new BrokerFixture()) {
      for (int i = 0; i < 10; i++) {
        fixture.publish(TICKS, record("a" + i));
      }
      assertThat(fixture.broker.metrics().eventBatchesEncoded()).isZero();
      TestSink late = fixture.subscribe(TICKS, StartPosition.EARLIEST);
      assertThat(late.offsets()).hasSize(10);
    }
  }

  @Test
  void batchingWaitsForTheDelayThenSendsOneBatch() {
    StreamConfig stream =
        StreamConfig.DEFAULTS.withBatching(new BatchingConfig(100, 1 << 20, Duration.ofMillis(5)));
    try (BrokerFixture fixture =
        new BrokerFixture(BrokerConfig.builder().defaultStream(stream).build())) {
      TestSink sink = fixture.subscribe(TICKS, StartPosition.LATEST);
      fixture.publish(TICKS, record("a"));
      fixture.clock.advanceMillis(2);
      fixture.publish(TICKS, record("b"));
      fixture.publish(TICKS, record("c"));
      assertThat(sink.deliveredCount()).isZero();

      fixture.scheduler.advance(Duration.ofMillis(2));
      assertThat(sink.deliveredCount()).isZero();
      fixture.scheduler.advance(Duration.ofMillis(1));
      assertThat(sink.batches())
          .singleElement()
          .satisfies(b -> assertThat(b.recordCount()).isEqualTo(3))
          .satisfies(b -> assertThat(b.encodedAtNanos()).isEqualTo(fixture.clock.nanoTime()));
      assertThat(sink.offsets()).containsExactly(0L, 1L, 2L);
      assertThat(fixture.scheduler.pendingTasks()).isZero();
    }
  }

  @Test
  void batchingFlushesAtTheRecordCount() {
    StreamConfig stream =
        StreamConfig.DEFAULTS.withBatching(new BatchingConfig(4, 1 << 20, Duration.ofMillis(50)));
    try (BrokerFixture fixture =
        new BrokerFixture(BrokerConfig.builder().defaultStream(stream).build())) {
      TestSink sink = fixture.subscribe(TICKS, StartPosition.LATEST);
      for (int i = 0; i < 3; i++) {
        fixture.publish(TICKS, record("r" + i));
      }
      assertThat(sink.deliveredCount()).isZero();
      fixture.publish(TICKS, record("r3"));
      assertThat(sink.batches())
          .singleElement()
          .satisfies(b -> assertThat(b.recordCount()).isEqualTo(4));
      // A publish larger than the batch is split into batches of at most maxRecords.
      fixture.publish(TICKS, record("1"), record("2"), record("3"), record("4"), record("5"));
      assertThat(sink.batches()).extracting(SharedEvents::recordCount).containsExactly(4, 4, 1);
      assertThat(sink.offsets()).isEqualTo(PublishTest.range(0, 9));
    }
  }

  @Test
  void batchingFlushesAtTheByteBound() {
    StreamConfig stream =
        StreamConfig.DEFAULTS.withBatching(new BatchingConfig(1000, 100, Duration.ofMillis(50)));
    try (BrokerFixture fixture =
        new BrokerFixture(BrokerConfig.builder().defaultStream(stream).build())) {
      TestSink sink = fixture.subscribe(TICKS, StartPosition.LATEST);
      fixture.publish(TICKS, record("x".repeat(40)));
      assertThat(sink.deliveredCount()).isZero();
      fixture.publish(TICKS, record("y".repeat(40)));
      assertThat(sink.deliveredCount()).isEqualTo(2);
      fixture.publish(TICKS, record("z".repeat(300)));
      assertThat(sink.deliveredCount()).isEqualTo(3);
    }
  }

  @Test
  void explicitFlushDeliversPendingRecords() {
    StreamConfig stream =
        StreamConfig.DEFAULTS.withBatching(new BatchingConfig(100, 1 << 20, Duration.ofMillis(50)));
    try (BrokerFixture fixture =
        new BrokerFixture(BrokerConfig.builder().defaultStream(stream).build())) {
      TestSink sink = fixture.subscribe(TICKS, StartPosition.LATEST);
      fixture.publish(TICKS, record("a"));
      fixture.broker.flush();
      assertThat(sink.payloads()).containsExactly("a");
    }
  }
}
