package dev.felix.broker;

import static dev.felix.broker.BrokerFixture.keyed;
import static dev.felix.broker.BrokerFixture.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.error.LimitException;
import dev.felix.error.NotFoundException;
import dev.felix.error.ProtocolException;
import dev.felix.wire.Bytes;
import dev.felix.wire.message.AckMode;
import dev.felix.wire.message.Publish;
import dev.felix.wire.message.PublishAck;
import dev.felix.wire.message.PublishBatch;
import dev.felix.wire.message.PublishTarget;
import dev.felix.wire.message.RecordBatch;
import dev.felix.wire.message.RecordData;
import dev.felix.wire.message.StartPosition;
import dev.felix.wire.message.StreamRef;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PublishTest {
  private static final StreamRef ORDERS = StreamRef.of("orders");

  @Test
  void recordsOfAShardKeepPublishOrderWithDenseOffsets() {
    try (BrokerFixture fixture = new BrokerFixture()) {
      TestSink sink = fixture.subscribe(ORDERS, StartPosition.LATEST);
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        fixture.publish(ORDERS, record("a" + i), record("b" + i));
        expected.add("a" + i);
        expected.add("b" + i);
      }
      assertThat(sink.payloads()).isEqualTo(expected);
      assertThat(sink.offsets()).isEqualTo(range(0, 100));
    }
  }

  @Test
  void leaderAckNamesShardAndOffsetsOfTheWholeBatch() {
    try (BrokerFixture fixture = new BrokerFixture()) {
      assertThat(fixture.publishAcked(ORDERS, record("a"), record("b"), record("c")))
          .isEqualTo(PublishAck.appended(0, 0, 3));
      assertThat(fixture.publishAcked(ORDERS, record("d"))).isEqualTo(PublishAck.appended(0, 3, 1));
    }
  }

  @Test
  void ackModeNoneBuildsNoAck() {
    try (BrokerFixture fixture = new BrokerFixture()) {
      PublishResult result =
          fixture.broker.publish(
              new PublishBatch(
                  PublishTarget.of(ORDERS, AckMode.NONE), RecordBatch.of(List.of(record("a")))));
      assertThat(result.isAccepted()).isTrue();
      assertThat(result.ack().toCompletableFuture().join()).isNull();
      assertThat(fixture.broker.metrics().publishedRecords()).isEqualTo(1);
    }
  }

  @Test
  void singleRecordPublishIsAppendedLikeABatch() {
    try (BrokerFixture fixture = new BrokerFixture()) {
      TestSink sink = fixture.subscribe(ORDERS, StartPosition.LATEST);
      PublishResult result =
          fixture.broker.publish(
              new Publish(PublishTarget.of(ORDERS, AckMode.LEADER), keyed("k", "one")));
      assertThat(result.ack().toCompletableFuture().join()).isEqualTo(PublishAck.appended(0, 0, 1));
      assertThat(sink.deliveries())
          .singleElement()
          .satisfies(
              d -> {
                assertThat(d.record().key()).isEqualTo(Bytes.utf8("k"));
                assertThat(d.record().headers()).isEqualTo(keyed("k", "one").headers());
              });
    }
  }

  @Test
  void deliveredRecordsCarryStreamShardOffsetTimestampKeyAndHeaders() {
    try (BrokerFixture fixture = new BrokerFixture()) {
      TestSink sink = fixture.subscribe(ORDERS, StartPosition.LATEST);
      RecordData withTime =
          new RecordData(Bytes.utf8("key"), keyed("x", "p").headers(), 77, Bytes.utf8("p"));
      fixture.publish(ORDERS, keyed("key", "q"), withTime);
      List<TestSink.Delivery> deliveries = sink.deliveries();
      assertThat(deliveries).hasSize(2);
      TestSink.Delivery first = deliveries.get(0);
      assertThat(first.stream()).isEqualTo(ORDERS);
      assertThat(first.shard()).isZero();
      assertThat(first.offset()).isZero();
      assertThat(first.record().timestampMs()).isEqualTo(fixture.clock.epochMillis());
      assertThat(first.record().key()).isEqualTo(Bytes.utf8("key"));
      assertThat(first.record().headers()).isEqualTo(keyed("key", "q").headers());
      assertThat(deliveries.get(1).record()).isEqualTo(withTime);
      assertThat(deliveries.get(1).offset()).isEqualTo(1);
    }
  }

  @Test
  void unknownStreamIsNotFoundWhenAutoCreateIsOff() {
    BrokerConfig config = BrokerConfig.builder().autoCreateStreams(false).build();
    try (BrokerFixture fixture = new BrokerFixture(config)) {
      assertThatThrownBy(() -> fixture.publish(ORDERS, record("a")))
          .isInstanceOf(NotFoundException.class)
          .satisfies(e -> assertThat(((FelixException) e).code()).isEqualTo(ErrorCode.NOT_FOUND));
      assertThatThrownBy(() -> fixture.subscribe(ORDERS, StartPosition.LATEST))
          .isInstanceOf(NotFoundException.class);
      assertThat(fixture.broker.metrics().publishErrors()).isEqualTo(1);

      fixture.broker.createStream(ORDERS, StreamConfig.DEFAULTS);
      assertThat(fixture.publishAcked(ORDERS, record("a"))).isEqualTo(PublishAck.appended(0, 0, 1));
    }
  }

  @Test
  void streamLimitIsEnforcedAndCounted() {
    BrokerConfig config = BrokerConfig.builder().maxStreams(2).build();
    try (BrokerFixture fixture = new BrokerFixture(config)) {
      fixture.publish(StreamRef.of("a"), record("1"));
      fixture.publish(StreamRef.of("b"), record("1"));
      assertThatThrownBy(() -> fixture.publish(StreamRef.of("c"), record("1")))
          .isInstanceOf(LimitException.class)
          .satisfies(
              e -> assertThat(((FelixException) e).code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED));
      assertThat(fixture.broker.metrics().streams()).isEqualTo(2);
      assertThat(fixture.broker.metrics().streamLimitRejections()).isEqualTo(1);
      assertThat(fixture.publishAcked(StreamRef.of("a"), record("2")).ranges()).hasSize(1);
    }
  }

  @Test
  void oversizedRecordsAndBatchesAreRejectedBeforeAnythingIsAppended() {
    BrokerConfig config = BrokerConfig.builder().maxRecordBytes(100).maxBatchBytes(1000).build();
    try (BrokerFixture fixture = new BrokerFixture(config)) {
      assertThatThrownBy(() -> fixture.publish(ORDERS, record("ok"), record("x".repeat(200))))
          .isInstanceOf(LimitException.class)
          .satisfies(
              e -> assertThat(((FelixException) e).code()).isEqualTo(ErrorCode.MESSAGE_TOO_LARGE));
      RecordData[] many = new RecordData[40];
      for (int i = 0; i < many.length; i++) {
        many[i] = record("payload-" + i);
      }
      assertThatThrownBy(() -> fixture.publish(ORDERS, many))
          .isInstanceOf(LimitException.class)
          .satisfies(
              e -> assertThat(((FelixException) e).code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED));
      assertThat(fixture.broker.stream(ORDERS).orElseThrow().shards().get(0).log().endOffset())
          .isZero();
    }
  }

  @Test
  void batchBeyondTheLogBoundIsMessageTooLarge() {
    StreamConfig tinyLog =
        StreamConfig.DEFAULTS.withLog(
            dev.felix.storage.log.MemoryLogConfig.DEFAULTS.withMaxRecords(2));
    try (BrokerFixture fixture =
        new BrokerFixture(BrokerConfig.builder().defaultStream(tinyLog).build())) {
      assertThatThrownBy(() -> fixture.publish(ORDERS, record("1"), record("2"), record("3")))
          .satisfies(
              e -> assertThat(((FelixException) e).code()).isEqualTo(ErrorCode.MESSAGE_TOO_LARGE));
    }
  }

  @Test
  void unknownShardIsInvalidArgument() {
    try (BrokerFixture fixture = new BrokerFixture()) {
      assertThatThrownBy(() -> fixture.publishTo(ORDERS, 1, record("a")))
          .isInstanceOf(ProtocolException.class)
          .satisfies(
              e -> assertThat(((FelixException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    }
  }

  @Test
  void createStreamTwiceIsAlreadyExists() {
    try (BrokerFixture fixture = new BrokerFixture()) {
      fixture.broker.createStream(ORDERS, StreamConfig.DEFAULTS.withShards(3));
      assertThatThrownBy(() -> fixture.broker.createStream(ORDERS, StreamConfig.DEFAULTS))
          .satisfies(
              e -> assertThat(((FelixException) e).code()).isEqualTo(ErrorCode.ALREADY_EXISTS));
      assertThat(fixture.broker.stream(ORDERS).orElseThrow().shards()).hasSize(3);
      assertThat(fixture.broker.streams()).containsExactly(ORDERS);
    }
  }

  @Test
  void closedBrokerIsUnavailableAndEndsSubscriptions() {
    BrokerFixture fixture = new BrokerFixture();
    TestSink sink = fixture.subscribe(ORDERS, StartPosition.LATEST);
    fixture.close();
    assertThat(sink.closedWith().code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(sink.subscription().isClosed()).isTrue();
    assertThatThrownBy(() -> fixture.publish(ORDERS, record("a")))
        .satisfies(e -> assertThat(((FelixException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE));
  }

  static List<Long> range(long from, long to) {
    List<Long> values = new ArrayList<>();
    for (long i = from; i < to; i++) {
      values.add(i);
    }
    return values;
  }
}
