package dev.felix.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.storage.durable.DurableLogConfig;
import dev.felix.wire.Bytes;
import dev.felix.wire.message.AckMode;
import dev.felix.wire.message.PublishAck;
import dev.felix.wire.message.PublishTarget;
import dev.felix.wire.message.RecordBatch;
import dev.felix.wire.message.RecordData;
import dev.felix.wire.message.StreamRef;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A retried publish (same producer id and sequence) is acknowledged, never appended twice. */
class IdempotentPublishTest {
  private static final StreamRef STREAM = StreamRef.of("payments");
  private static final long PRODUCER = 42;

  @TempDir Path dataDir;

  private static PublishAck publish(
      BrokerFixture f, int shard, long sequence, List<RecordData> records) {
    PublishResult result =
        f.broker.publish(
            new PublishTarget(STREAM, shard, PRODUCER, sequence, AckMode.LEADER),
            RecordBatch.of(records));
    assertThat(result.isAccepted()).isTrue();
    return result.ack().toCompletableFuture().join();
  }

  private static List<RecordData> records(String prefix, int count) {
    List<RecordData> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      records.add(RecordData.of(prefix + i));
    }
    return records;
  }

  private static long endOffset(BrokerFixture f, int shard) {
    return f.broker.stream(STREAM).orElseThrow().shards().get(shard).log().endOffset();
  }

  @Test
  void aRetryGetsTheFirstAcknowledgementAndAppendsNothing() {
    try (BrokerFixture f = new BrokerFixture()) {
      PublishAck first = publish(f, 0, 0, records("a", 3));
      PublishAck second = publish(f, 0, 3, records("b", 2));
      PublishAck retry = publish(f, 0, 0, records("a", 3));
      assertThat(retry).isEqualTo(first);
      assertThat(second.ranges().get(0).baseOffset()).isEqualTo(3);
      assertThat(endOffset(f, 0)).isEqualTo(5);
      assertThat(f.broker.metrics().publishDuplicates()).isEqualTo(3);
    }
  }

  @Test
  void anOverlapThatIsNoRetryIsAConflict() {
    try (BrokerFixture f = new BrokerFixture()) {
      publish(f, 0, 0, records("a", 3));
      assertThatThrownBy(
              () ->
                  f.broker.publish(
                      new PublishTarget(STREAM, 0, PRODUCER, 1, AckMode.LEADER),
                      RecordBatch.of(records("x", 5))))
          .isInstanceOf(FelixException.class)
          .extracting(e -> ((FelixException) e).code())
          .isEqualTo(ErrorCode.CONFLICT);
      assertThat(endOffset(f, 0)).isEqualTo(3);
    }
  }

  @Test
  void producersAreIndependent() {
    try (BrokerFixture f = new BrokerFixture()) {
      publish(f, 0, 0, records("a", 2));
      f.broker
          .publish(
              new PublishTarget(STREAM, 0, PRODUCER + 1, 0, AckMode.LEADER),
              RecordBatch.of(records("b", 2)))
          .ack()
          .toCompletableFuture()
          .join();
      assertThat(endOffset(f, 0)).isEqualTo(4);
    }
  }

  @Test
  void aRetriedKeyedPublishSpreadOverShardsIsRecognisedOnEveryShard() {
    StreamConfig fourShards = StreamConfig.DEFAULTS.withShards(4);
    try (BrokerFixture f =
        new BrokerFixture(BrokerConfig.builder().defaultStream(fourShards).build())) {
      List<RecordData> keyed = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        keyed.add(new RecordData(Bytes.utf8("key-" + i), List.of(), 0, Bytes.utf8("v" + i)));
      }
      PublishAck first = publish(f, PublishTarget.ANY_SHARD, 100, keyed);
      PublishAck retry = publish(f, PublishTarget.ANY_SHARD, 100, keyed);
      assertThat(retry).isEqualTo(first);
      long total = 0;
      for (int shard = 0; shard < 4; shard++) {
        total += endOffset(f, shard);
      }
      assertThat(total).isEqualTo(20);
    }
  }

  @Test
  void durableStreamsDeduplicateToo() {
    StreamConfig durable =
        StreamConfig.DEFAULTS.withStorage(StreamStorage.durable(DurableLogConfig.DEFAULTS));
    try (BrokerFixture f =
        new BrokerFixture(BrokerConfig.builder().dataDir(dataDir).defaultStream(durable).build())) {
      PublishAck first = publish(f, 0, 7, records("a", 4));
      assertThat(publish(f, 0, 7, records("a", 4))).isEqualTo(first);
      assertThat(endOffset(f, 0)).isEqualTo(4);
    }
  }

  private BrokerFixture durableBroker(int shards) {
    StreamConfig durable =
        StreamConfig.DEFAULTS
            .withShards(shards)
            .withStorage(StreamStorage.durable(DurableLogConfig.DEFAULTS));
    return new BrokerFixture(
        BrokerConfig.builder().dataDir(dataDir).defaultStream(durable).build());
  }

  @Test
  void aRetryAfterARestartGetsItsOriginalOffsetsAndAppendsNothing() {
    PublishAck first;
    PublishAck second;
    try (BrokerFixture f = durableBroker(1)) {
      publish(f, 0, 0, records("a", 3));
      first = publish(f, 0, 3, records("b", 2));
      second = publish(f, 0, 5, records("c", 4));
    }
    try (BrokerFixture f = durableBroker(1)) {
      assertThat(endOffset(f, 0)).isEqualTo(9);
      assertThat(f.broker.metrics().producerBatchesRecovered()).isEqualTo(3);
      assertThat(publish(f, 0, 5, records("c", 4))).isEqualTo(second);
      assertThat(publish(f, 0, 3, records("b", 2))).isEqualTo(first);
      assertThat(endOffset(f, 0)).isEqualTo(9);
      assertThat(f.broker.metrics().publishDuplicates()).isEqualTo(6);
      // the windows carry on: an overlap is still a conflict (a durable stream's publish fails
      // through its ack, appended on the storage lane), the next sequence is new
      PublishResult overlap =
          f.broker.publish(
              new PublishTarget(STREAM, 0, PRODUCER, 4, AckMode.LEADER),
              RecordBatch.of(records("x", 3)));
      assertThatThrownBy(() -> overlap.ack().toCompletableFuture().join())
          .extracting(e -> ((FelixException) e.getCause()).code())
          .isEqualTo(ErrorCode.CONFLICT);
      assertThat(publish(f, 0, 9, records("d", 1)).ranges().get(0).baseOffset()).isEqualTo(9);
    }
  }

  @Test
  void aKeyedPublishSpreadOverShardsIsRecognisedAfterARestart() {
    List<RecordData> keyed = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      keyed.add(new RecordData(Bytes.utf8("key-" + i), List.of(), 0, Bytes.utf8("v" + i)));
    }
    PublishAck first;
    try (BrokerFixture f = durableBroker(4)) {
      first = publish(f, PublishTarget.ANY_SHARD, 100, keyed);
    }
    try (BrokerFixture f = durableBroker(4)) {
      assertThat(publish(f, PublishTarget.ANY_SHARD, 100, keyed)).isEqualTo(first);
      long total = 0;
      for (int shard = 0; shard < 4; shard++) {
        total += endOffset(f, shard);
      }
      assertThat(total).isEqualTo(20);
    }
  }

  @Test
  void producersPastTheBoundAreForgottenLeastRecentlyUsedFirstAndCounted() {
    try (BrokerFixture f = new BrokerFixture()) {
      PublishAck oldest = publishAs(f, 1, 0, records("first", 1));
      for (long producer = 2; producer <= 10_001; producer++) {
        publishAs(f, producer, 0, records("p", 1));
      }
      assertThat(f.broker.metrics().producersForgotten()).isEqualTo(1);
      // producer 1 was forgotten: its retry is appended again, at a new offset
      assertThat(publishAs(f, 1, 0, records("first", 1))).isNotEqualTo(oldest);
      assertThat(endOffset(f, 0)).isEqualTo(10_002);
    }
  }

  private static PublishAck publishAs(
      BrokerFixture f, long producer, long sequence, List<RecordData> records) {
    return f.broker
        .publish(
            new PublishTarget(STREAM, 0, producer, sequence, AckMode.LEADER),
            RecordBatch.of(records))
        .ack()
        .toCompletableFuture()
        .join();
  }

  @Test
  void sequencesThatWouldOverflowAreRefused() {
    try (BrokerFixture f = new BrokerFixture()) {
      assertThatThrownBy(
              () ->
                  f.broker.publish(
                      new PublishTarget(STREAM, 0, PRODUCER, Long.MAX_VALUE - 1, AckMode.LEADER),
                      RecordBatch.of(records("x", 3))))
          .isInstanceOf(FelixException.class)
          .extracting(e -> ((FelixException) e).code())
          .isEqualTo(ErrorCode.INVALID_ARGUMENT);
      assertThat(endOffset(f, 0)).isZero();
    }
  }
}
