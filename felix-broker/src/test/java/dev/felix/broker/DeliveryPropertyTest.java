package dev.felix.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.error.ErrorCode;
import dev.felix.storage.log.MemoryLogConfig;
import dev.felix.wire.Bytes;
import dev.felix.wire.message.AckMode;
import dev.felix.wire.message.EventsDropped;
import dev.felix.wire.message.PublishAck;
import dev.felix.wire.message.PublishTarget;
import dev.felix.wire.message.RecordBatch;
import dev.felix.wire.message.RecordData;
import dev.felix.wire.message.ShardOffset;
import dev.felix.wire.message.StartPosition;
import dev.felix.wire.message.StreamRef;
import dev.felix.wire.message.Subscribe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Whatever publishes, stalls, partial writability, resumes, subscribes (from any start) and timer
 * ticks happen in whatever order, per subscriber and shard:
 *
 * <ul>
 *   <li>offsets never regress: batches and drop notices follow each other exactly, each starting
 *       where the previous one ended, from the subscription's start offset;
 *   <li>every delivered record has the payload acknowledged at its offset;
 *   <li>under {@code block} nothing is lost: no notice at all, and every subscriber receives every
 *       offset up to the end of the log once the sinks drain; blocked publishers are always
 *       released;
 *   <li>under the drop policies nothing is lost silently: every missing offset is covered by a
 *       notice, and the notices add up to the subscription's drop counter;
 *   <li>under {@code disconnect} a subscription either ends with {@code SLOW_CONSUMER} or gets
 *       everything.
 * </ul>
 *
 * <p>Logs, send queues and batches are tiny so that queues fill, eviction overtakes lagging cursors
 * (or is held back, under block), and batching timers fire in between.
 */
class DeliveryPropertyTest {
  private static final StreamRef STREAM = StreamRef.of("prop");

  /** One step of a scenario: {@code kind} picks the action, {@code a} and {@code b} shape it. */
  record Step(int kind, int a, int b) {}

  @Provide
  Arbitrary<List<Step>> scenarios() {
    Arbitrary<Step> step =
        Combinators.combine(
                Arbitraries.integers().between(0, 9),
                Arbitraries.integers().between(0, 7),
                Arbitraries.integers().between(0, 100))
            .as(Step::new);
    return step.list().ofMinSize(5).ofMaxSize(80);
  }

  @Property(tries = 250)
  void deliveriesAreOrderedAndEveryLossIsAccountedFor(
      @ForAll("scenarios") List<Step> steps,
      @ForAll BackPressurePolicy policy,
      @ForAll @IntRange(min = 1, max = 3) int shards,
      @ForAll @IntRange(min = 8, max = 40) int logRecords,
      @ForAll @IntRange(min = 1, max = 400) int queueBytes,
      @ForAll @IntRange(min = 1, max = 5) int batchRecords) {
    StreamConfig stream =
        StreamConfig.DEFAULTS
            .withShards(shards)
            .withPolicy(policy)
            .withSendQueueBytes(queueBytes)
            .withLog(MemoryLogConfig.DEFAULTS.withMaxRecords(logRecords).withChunkBytes(256))
            .withBatching(new BatchingConfig(batchRecords, 1 << 20, Duration.ofMillis(2)));
    BrokerConfig config =
        BrokerConfig.builder().catchUpBytesPerStep(100).defaultStream(stream).build();
    try (BrokerFixture fixture = new BrokerFixture(config)) {
      new Scenario(fixture, policy).run(steps);
      BrokerMetrics metrics = fixture.broker.metrics();
      Statistics.label(policy.configName())
          .collect(
              metrics.publishBlocked() > 0
                  ? "publisher blocked"
                  : metrics.droppedRecords() > 0
                      ? "records dropped"
                      : metrics.slowConsumerDisconnects() > 0 ? "disconnected" : "no pressure");
    }
  }

  /** Drives one scenario and checks the outcome against the acknowledged records. */
  private static final class Scenario {
    private final BrokerFixture fixture;
    private final BackPressurePolicy policy;
    private final List<TestSink> sinks = new ArrayList<>();
    private final Map<Long, String> acked = new HashMap<>();
    private PublishResult blocked;
    private List<RecordData> blockedRecords;
    private int serial;

    Scenario(BrokerFixture fixture, BackPressurePolicy policy) {
      this.fixture = fixture;
      this.policy = policy;
    }

    void run(List<Step> steps) {
      sinks.add(fixture.subscribe(STREAM, StartPosition.EARLIEST));
      for (Step step : steps) {
        apply(step);
        checkSequences(false);
      }
      for (TestSink sink : sinks) {
        if (!sink.subscription().isClosed()) {
          sink.resume();
        }
      }
      for (int round = 0; blocked != null; round++) {
        assertThat(round).as("a blocked publisher was never released").isLessThan(100);
        fixture.settle();
        retryIfReady();
      }
      fixture.broker.flush();
      fixture.settle();
      checkSequences(true);
    }

    private void apply(Step step) {
      switch (step.kind()) {
        case 0, 1, 2, 3 -> publish(1 + step.a(), step.b());
        case 4 -> sinkAt(step.a()).stall();
        case 5 -> resume(sinkAt(step.a()));
        case 6 -> sinkAt(step.a()).acceptOnly(step.b() % 4);
        case 7 -> subscribe(step.a(), step.b());
        case 8 -> fixture.scheduler.advance(Duration.ofMillis(step.a()));
        default -> fixture.settle();
      }
      retryIfReady();
    }

    private void resume(TestSink sink) {
      if (!sink.subscription().isClosed()) {
        sink.resume();
      }
    }

    private void publish(int count, int keySeed) {
      if (blocked != null) {
        return; // a blocked publisher waits; it does not skip ahead
      }
      List<RecordData> records = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        Bytes key = (keySeed + i) % 3 == 0 ? null : Bytes.utf8("k" + ((keySeed + i) % 7));
        records.add(new RecordData(key, List.of(), 0, Bytes.utf8("m" + serial++)));
      }
      attempt(records);
    }

    private void attempt(List<RecordData> records) {
      PublishResult result =
          fixture.broker.publish(PublishTarget.of(STREAM, AckMode.LEADER), RecordBatch.of(records));
      if (!result.isAccepted()) {
        assertThat(policy).isEqualTo(BackPressurePolicy.BLOCK);
        blocked = result;
        blockedRecords = records;
        return;
      }
      blocked = null;
      PublishAck ack = result.ack().toCompletableFuture().join();
      int index = 0;
      for (PublishAck.Range range : ack.ranges()) {
        assertThat(range.isSuccess()).isTrue();
        for (int i = 0; i < range.recordCount(); i++) {
          acked.put(
              key(range.shard(), range.baseOffset() + i), records.get(index++).payload().toUtf8());
        }
      }
    }

    private void retryIfReady() {
      if (blocked != null && blocked.retryWhen().toCompletableFuture().isDone()) {
        attempt(blockedRecords);
      }
    }

    private void subscribe(int startKind, int value) {
      int shard = -1;
      StartPosition start;
      switch (startKind % 4) {
        case 0 -> start = StartPosition.EARLIEST;
        case 1 -> start = StartPosition.LATEST;
        case 2 -> {
          // One shard, an offset at most its end (below its start falls back to the start).
          shard = value % fixture.broker.stream(STREAM).orElseThrow().shards().size();
          long end =
              fixture.broker.stream(STREAM).orElseThrow().shards().get(shard).log().endOffset();
          start = StartPosition.offset(Math.min(value % 5, end));
        }
        default -> start = StartPosition.timestamp(fixture.clock.epochMillis() - value);
      }
      // Unsettled: the catch-up steps run at later steps, so a stall can hit a lagging cursor.
      sinks.add(
          fixture.subscribeUnsettled(
              new Subscribe(
                  STREAM, shard, start, Subscribe.FROM_EARLIEST_IF_OUT_OF_RANGE, null, 0)));
    }

    private TestSink sinkAt(int index) {
      return sinks.get(index % sinks.size());
    }

    /** Walks each sink's items per shard; with {@code complete}, also checks nothing is missing. */
    private void checkSequences(boolean complete) {
      StreamInfo info = fixture.broker.stream(STREAM).orElseThrow();
      for (TestSink sink : sinks) {
        long noticed = 0;
        for (ShardOffset start : sink.subscription().startOffsets()) {
          long expected = start.offset();
          for (Object item : sink.items()) {
            if (item instanceof SharedEvents events && events.shard() == start.shard()) {
              assertThat(events.baseOffset()).isEqualTo(expected);
              expected = events.nextOffset();
            } else if (item instanceof EventsDropped notice && notice.shard() == start.shard()) {
              assertThat(policy).isNotEqualTo(BackPressurePolicy.BLOCK);
              assertThat(notice.nextOffset()).isEqualTo(expected + notice.droppedCount());
              expected = notice.nextOffset();
              noticed += notice.droppedCount();
            }
          }
          boolean ended = sink.subscription().isClosed();
          if (complete && !ended) {
            assertThat(expected).isEqualTo(info.shards().get(start.shard()).log().endOffset());
          }
        }
        if (complete) {
          assertThat(noticed).isEqualTo(sink.subscription().droppedRecords());
          if (sink.subscription().isClosed()) {
            assertThat(policy).isEqualTo(BackPressurePolicy.DISCONNECT);
            assertThat(sink.closedWith().code()).isEqualTo(ErrorCode.SLOW_CONSUMER);
          }
        }
        for (TestSink.Delivery delivery : sink.deliveries()) {
          assertThat(delivery.record().payload().toUtf8())
              .isEqualTo(acked.get(key(delivery.shard(), delivery.offset())));
        }
      }
      if (complete && policy == BackPressurePolicy.BLOCK) {
        assertThat(fixture.broker.metrics().droppedRecords()).isZero();
      }
    }

    private static long key(int shard, long offset) {
      return ((long) shard << 48) | offset;
    }
  }
}
