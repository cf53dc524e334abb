package dev.felix.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.wire.message.AckMode;
import dev.felix.wire.message.PublishTarget;
import dev.felix.wire.message.RecordBatch;
import dev.felix.wire.message.RecordData;
import dev.felix.wire.message.ShardOffset;
import dev.felix.wire.message.StartPosition;
import dev.felix.wire.message.StreamRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Real threads: a publisher appends as fast as it can while subscribers join from earliest, an
 * offset, a timestamp and latest; catch-up steps run on the broker's scheduler threads concurrently
 * with the appends. Every subscriber must see each offset of each shard exactly once, in order,
 * from its start to the end.
 */
class ConcurrentSubscribeTest {
  private static final StreamRef LIVE = StreamRef.of("live");
  private static final int TOTAL = 20_000;

  @Test
  void subscribersJoiningDuringPublishingSeeEveryOffsetOnce() throws Exception {
    StreamConfig stream =
        StreamConfig.DEFAULTS
            .withShards(2)
            .withBatching(new BatchingConfig(64, 4096, Duration.ZERO));
    BrokerConfig config =
        BrokerConfig.builder().catchUpBytesPerStep(8 * 1024).defaultStream(stream).build();
    try (Broker broker = Broker.start(config)) {
      AtomicInteger published = new AtomicInteger();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread publisher = new Thread(() -> publish(broker, published, failure), "publisher");
      publisher.start();

      List<TestSink> sinks = new ArrayList<>();
      awaitCondition(() -> published.get() >= 2_000);
      sinks.add(subscribe(broker, StartPosition.EARLIEST, 1));
      awaitCondition(() -> published.get() >= 6_000);
      sinks.add(subscribe(broker, StartPosition.offset(1_000), 2));
      long time = System.currentTimeMillis();
      awaitCondition(() -> published.get() >= 10_000);
      TestSink byTime = subscribe(broker, StartPosition.timestamp(time), 3);
      sinks.add(byTime);
      sinks.add(subscribe(broker, StartPosition.LATEST, 4));

      publisher.join(30_000);
      assertThat(failure.get()).isNull();
      StreamInfo info = broker.stream(LIVE).orElseThrow();
      long[] ends = new long[2];
      for (int shard = 0; shard < 2; shard++) {
        ends[shard] = info.shards().get(shard).log().endOffset();
      }
      assertThat(ends[0] + ends[1]).isEqualTo(TOTAL);

      for (TestSink sink : sinks) {
        awaitCondition(() -> delivered(sink) == expectedCount(sink, ends));
        for (ShardOffset start : sink.subscription().startOffsets()) {
          assertThat(sink.offsets(start.shard()))
              .as("subscription %d shard %d", sink.subscriptionId(), start.shard())
              .isEqualTo(PublishTest.range(start.offset(), ends[start.shard()]));
        }
      }
      // The timestamp subscription starts exactly at the first record at or after the time.
      TestSink all = sinks.get(0);
      for (ShardOffset start : byTime.subscription().startOffsets()) {
        for (TestSink.Delivery delivery : all.deliveries()) {
          if (delivery.shard() == start.shard()) {
            boolean before = delivery.offset() < start.offset();
            assertThat(delivery.record().timestampMs() < time).isEqualTo(before);
          }
        }
      }
    }
  }

  @Test
  void aStalledSubscriberDoesNotSlowAFastOneOrThePublisher() throws Exception {
    StreamConfig stream =
        StreamConfig.DEFAULTS
            .withPolicy(BackPressurePolicy.DROP_OLDEST)
            .withSendQueueBytes(4096)
            .withBatching(new BatchingConfig(64, 4096, Duration.ZERO));
    try (Broker broker = Broker.start(BrokerConfig.builder().defaultStream(stream).build())) {
      TestSink fast = subscribe(broker, StartPosition.LATEST, 1);
      TestSink stalled = new TestSink(2);
      stalled.stall();
      stalled.attach(
          broker.subscribe(
              dev.felix.wire.message.Subscribe.of(LIVE, StartPosition.LATEST), 2, stalled));
      AtomicInteger published = new AtomicInteger();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread publisher = new Thread(() -> publish(broker, published, failure), "publisher");
      publisher.start();
      publisher.join(30_000);

      assertThat(failure.get()).isNull();
      assertThat(broker.metrics().publishBlocked()).isZero();
      awaitCondition(() -> fast.deliveredCount() == TOTAL);
      assertThat(fast.offsets()).isEqualTo(PublishTest.range(0, TOTAL));
      assertThat(stalled.deliveredCount()).isZero();
      assertThat(stalled.subscription().queuedBytes()).isLessThanOrEqualTo(4096);
      // Everything not queued for the stalled subscriber was counted as dropped.
      stalled.resume();
      awaitCondition(() -> stalled.subscription().queuedBytes() == 0);
      long queuedRecords = stalled.deliveredCount();
      assertThat(stalled.subscription().droppedRecords() + queuedRecords).isEqualTo(TOTAL);
      assertThat(stalled.notices()).isNotEmpty();
    }
  }

  private static void publish(
      Broker broker, AtomicInteger published, AtomicReference<Throwable> failure) {
    try {
      int serial = 0;
      while (serial < TOTAL) {
        int size = Math.min(1 + serial % 8, TOTAL - serial);
        List<RecordData> records = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
          records.add(RecordData.of("m" + (serial + i)));
        }
        PublishResult result =
            broker.publish(PublishTarget.of(LIVE, AckMode.LEADER), RecordBatch.of(records));
        if (result.isAccepted()) {
          serial += size;
          published.set(serial);
        } else {
          result.retryWhen().toCompletableFuture().get();
        }
      }
    } catch (Throwable t) {
      failure.set(t);
    }
  }

  private static TestSink subscribe(Broker broker, StartPosition start, int id) {
    TestSink sink = new TestSink(id);
    sink.attach(broker.subscribe(dev.felix.wire.message.Subscribe.of(LIVE, start), id, sink));
    return sink;
  }

  private static long delivered(TestSink sink) {
    return sink.deliveredCount();
  }

  private static long expectedCount(TestSink sink, long[] ends) {
    long expected = 0;
    for (ShardOffset start : sink.subscription().startOffsets()) {
      expected += ends[start.shard()] - start.offset();
    }
    return expected;
  }

  /** Waits on a condition with a deadline; polling, because the sinks have no wait/notify. */
  private static void awaitCondition(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 30 s");
      }
      LockSupport.parkNanos(200_000);
    }
  }
}
