package dev.felix.broker;

import static dev.felix.broker.BrokerFixture.keyed;
import static dev.felix.broker.BrokerFixture.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.wire.message.PublishAck;
import dev.felix.wire.message.StartPosition;
import dev.felix.wire.message.StreamRef;
import dev.felix.wire.message.Subscribe;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShardingTest {
  private static final StreamRef EVENTS = StreamRef.of("events");

  private static BrokerFixture withShards(int shards) {
    BrokerFixture fixture = new BrokerFixture();
    fixture.broker.createStream(EVENTS, StreamConfig.DEFAULTS.withShards(shards));
    return fixture;
  }

  @Test
  void sameKeyAlwaysLandsOnTheSameShard() {
    Map<String, Integer> first = new HashMap<>();
    try (BrokerFixture fixture = withShards(4)) {
      for (int round = 0; round < 3; round++) {
        for (int k = 0; k < 40; k++) {
          String key = "user-" + k;
          int shard = fixture.publishAcked(EVENTS, keyed(key, "p")).ranges().get(0).shard();
          assertThat(first.putIfAbsent(key, shard)).isIn(null, shard);
        }
      }
    }
    assertThat(new HashSet<>(first.values())).containsExactlyInAnyOrder(0, 1, 2, 3);
    // Stable across broker instances too (the function is fixed, not per-process).
    try (BrokerFixture other = withShards(4)) {
      for (Map.Entry<String, Integer> entry : first.entrySet()) {
        assertThat(other.publishAcked(EVENTS, keyed(entry.getKey(), "p")).ranges().get(0).shard())
            .isEqualTo(entry.getValue());
      }
      assertThat(other.publishAcked(EVENTS, keyed("hello", "p")).ranges().get(0).shard())
          .isEqualTo(3); // murmur3("hello") & 0x7fffffff = 0x248bfa47, % 4 = 3
    }
  }

  @Test
  void unkeyedBatchesGoRoundRobinOneShardPerBatch() {
    try (BrokerFixture fixture = withShards(3)) {
      List<Integer> shards = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        PublishAck ack = fixture.publishAcked(EVENTS, record("a" + i), record("b" + i));
        assertThat(ack.ranges()).hasSize(1);
        shards.add(ack.ranges().get(0).shard());
      }
      assertThat(shards).containsExactly(0, 1, 2, 0, 1, 2);
    }
  }

  @Test
  void explicitShardWins() {
    try (BrokerFixture fixture = withShards(3)) {
      PublishAck ack =
          fixture.publishTo(EVENTS, 2, keyed("hello", "x")).ack().toCompletableFuture().join();
      assertThat(ack).isEqualTo(PublishAck.appended(2, 0, 1));
    }
  }

  @Test
  void mixedKeysAreSplitAndAckedInPublishOrder() {
    try (BrokerFixture fixture = withShards(4)) {
      TestSink all = fixture.subscribe(EVENTS, StartPosition.LATEST);
      List<String> keys = List.of("user-1", "user-1", "user-2", "hello", "hello", "user-1");
      List<Integer> expectedShards = new ArrayList<>();
      for (String key : keys) {
        expectedShards.add(
            fixture.publishAcked(EVENTS, keyed(key, "probe")).ranges().get(0).shard());
      }
      Map<Integer, Long> nextOffset = new HashMap<>();
      for (int shard = 0; shard < 4; shard++) {
        nextOffset.put(shard, (long) all.offsets(shard).size());
      }

      var records = new dev.felix.wire.message.RecordData[keys.size()];
      for (int i = 0; i < keys.size(); i++) {
        records[i] = keyed(keys.get(i), "m" + i);
      }
      PublishAck ack = fixture.publishAcked(EVENTS, records);

      assertThat(ack.recordCount()).isEqualTo(keys.size());
      int record = 0;
      for (PublishAck.Range range : ack.ranges()) {
        assertThat(range.isSuccess()).isTrue();
        for (int i = 0; i < range.recordCount(); i++, record++) {
          int shard = expectedShards.get(record);
          assertThat(range.shard()).isEqualTo(shard);
          long expected = nextOffset.merge(shard, 1L, Long::sum) - 1;
          assertThat(range.baseOffset() + i).isEqualTo(expected);
        }
      }
      // Each shard delivers its part of the batch in publish order.
      Set<Integer> used = new HashSet<>(expectedShards);
      for (int shard : used) {
        List<String> payloads = new ArrayList<>();
        for (TestSink.Delivery delivery : all.deliveries()) {
          String payload = delivery.record().payload().toUtf8();
          if (delivery.shard() == shard && payload.startsWith("m")) {
            payloads.add(payload);
          }
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
          if (expectedShards.get(i) == shard) {
            expected.add("m" + i);
          }
        }
        assertThat(payloads).isEqualTo(expected);
      }
    }
  }

  @Test
  void subscriptionToOneShardSeesOnlyThatShard() {
    try (BrokerFixture fixture = withShards(3)) {
      TestSink one = fixture.subscribe(new Subscribe(EVENTS, 1, StartPosition.LATEST, 0, null, 0));
      for (int i = 0; i < 6; i++) {
        fixture.publish(EVENTS, record("r" + i));
      }
      assertThat(one.deliveries()).extracting(TestSink.Delivery::shard).containsOnly(1);
      assertThat(one.offsets()).containsExactly(0L, 1L);
      assertThat(one.subscription().startOffsets())
          .containsExactly(new dev.felix.wire.message.ShardOffset(1, 0));
    }
  }
}
