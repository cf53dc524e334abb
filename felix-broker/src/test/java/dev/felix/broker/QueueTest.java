package dev.felix.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.storage.log.MemoryLogConfig;
import dev.felix.wire.message.Header;
import dev.felix.wire.message.RecordData;
import dev.felix.wire.message.ShardOffset;
import dev.felix.wire.message.StartPosition;
import dev.felix.wire.message.StreamRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Consumer groups on memory streams: leases, acks, nacks, expiry, dead letters, the window. */
class QueueTest {
  private static final StreamRef JOBS = StreamRef.of("jobs");

  private static BrokerFixture fixture(QueueConfig queues) {
    return new BrokerFixture(BrokerConfig.builder().queues(queues).build());
  }

  private static QueueSubscription member(TestSink sink) {
    return (QueueSubscription) sink.subscription();
  }

  private static void publish(BrokerFixture f, StreamRef stream, int count) {
    for (int i = 0; i < count; i++) {
      f.publishAcked(stream, RecordData.of("job-" + i));
    }
    f.settle();
  }

  private static List<ShardOffset> at(int shard, List<Long> offsets) {
    List<ShardOffset> records = new ArrayList<>();
    for (long offset : offsets) {
      records.add(new ShardOffset(shard, offset));
    }
    return records;
  }

  private static List<ShardOffset> at(long... offsets) {
    List<ShardOffset> records = new ArrayList<>();
    for (long offset : offsets) {
      records.add(new ShardOffset(0, offset));
    }
    return records;
  }

  private static GroupInfo info(BrokerFixture f, StreamRef stream, String group) {
    return f.broker.group(stream, group).orElseThrow();
  }

  @Test
  void eachRecordIsLeasedToOneMemberAndAcksAdvanceThePosition() {
    try (BrokerFixture f = fixture(QueueConfig.DEFAULTS)) {
      TestSink a = f.join(JOBS, "workers", 10, StartPosition.EARLIEST);
      TestSink b = f.join(JOBS, "workers", 10, StartPosition.EARLIEST);
      publish(f, JOBS, 30);

      assertThat(a.offsets()).hasSize(10);
      assertThat(b.offsets()).hasSize(10);
      Set<Long> seen = new HashSet<>(a.offsets());
      seen.addAll(b.offsets());
      assertThat(seen).hasSize(20);
      assertThat(info(f, JOBS, "workers").inFlight()).isEqualTo(20);

      member(a).ack(at(0, a.offsets()));
      member(b).ack(at(0, b.offsets()));
      f.settle();
      assertThat(a.offsets().size() + b.offsets().size()).isEqualTo(30);
      member(a).ack(at(0, a.offsets()));
      member(b).ack(at(0, b.offsets()));
      f.settle();

      GroupInfo info = info(f, JOBS, "workers");
      assertThat(info.shards().get(0).committed()).isEqualTo(30);
      assertThat(info.lag()).isZero();
      assertThat(info.inFlight()).isZero();
      assertThat(info.acks()).isEqualTo(30);
      assertThat(info.staleAcks()).isEqualTo(20); // the first 20 acked a second time
      assertThat(info.members()).isEqualTo(2);
    }
  }

  @Test
  void theAllowanceBoundsLeasesAndCreditWidensIt() {
    try (BrokerFixture f = fixture(QueueConfig.DEFAULTS)) {
      TestSink a = f.join(JOBS, "workers", 3, StartPosition.EARLIEST);
      publish(f, JOBS, 10);
      assertThat(a.offsets()).containsExactly(0L, 1L, 2L);
      member(a).credit(2);
      f.settle();
      assertThat(a.offsets()).containsExactly(0L, 1L, 2L, 3L, 4L);
      assertThat(member(a).inFlight()).isEqualTo(5);
      member(a).ack(at(0));
      f.settle();
      assertThat(a.offsets()).hasSize(6);
    }
  }

  @Test
  void aNackRedeliversAtOnceOrAfterItsDelay() {
    try (BrokerFixture f = fixture(QueueConfig.DEFAULTS)) {
      TestSink a = f.join(JOBS, "workers", 1, StartPosition.EARLIEST);
      publish(f, JOBS, 2);
      assertThat(a.offsets()).containsExactly(0L);

      member(a).nack(0, at(0));
      f.settle();
      assertThat(a.offsets()).containsExactly(0L, 0L);

      member(a).nack(500, at(0));
      f.settle();
      assertThat(a.offsets()).containsExactly(0L, 0L, 1L); // offset 1 while 0 waits
      member(a).ack(at(1));
      f.settle();
      assertThat(a.offsets()).containsExactly(0L, 0L, 1L);
      f.scheduler.advance(Duration.ofMillis(500));
      assertThat(a.offsets()).containsExactly(0L, 0L, 1L, 0L);

      GroupInfo info = info(f, JOBS, "workers");
      assertThat(info.nacks()).isEqualTo(2);
      assertThat(info.redeliveries()).isEqualTo(2);
      assertThat(info.shards().get(0).committed()).isZero();
    }
  }

  @Test
  void anExpiredLeaseIsRedeliveredToALiveMember() {
    try (BrokerFixture f = fixture(QueueConfig.DEFAULTS.withVisibilityTimeoutMs(1_000))) {
      TestSink stuck = f.join(JOBS, "workers", 1, StartPosition.EARLIEST);
      publish(f, JOBS, 1);
      assertThat(stuck.offsets()).containsExactly(0L);
      TestSink live = f.join(JOBS, "workers", 1, StartPosition.EARLIEST);
      assertThat(live.offsets()).isEmpty();

      f.scheduler.advance(Duration.ofMillis(999));
      assertThat(live.offsets()).isEmpty();
      f.scheduler.advance(Duration.ofMillis(1));
      assertThat(stuck.offsets().size() + live.offsets().size()).isEqualTo(2);
      GroupInfo info = info(f, JOBS, "workers");
      assertThat(info.expiredLeases()).isEqualTo(1);
      assertThat(info.redeliveries()).isEqualTo(1);
    }
  }

  @Test
  void aMemberLeavingGivesItsLeasesBack() {
    try (BrokerFixture f = fixture(QueueConfig.DEFAULTS)) {
      TestSink leaving = f.join(JOBS, "workers", 5, StartPosition.EARLIEST);
      publish(f, JOBS, 5);
      assertThat(leaving.offsets()).hasSize(5);
      TestSink staying = f.join(JOBS, "workers", 5, StartPosition.EARLIEST);
      assertThat(staying.offsets()).isEmpty();

      leaving.subscription().close();
      f.settle();
      assertThat(staying.offsets()).containsExactly(0L, 1L, 2L, 3L, 4L);
      member(staying).ack(at(0L, 1L, 2L, 3L, 4L));
      f.settle();
      GroupInfo info = info(f, JOBS, "workers");
      assertThat(info.members()).isEqualTo(1);
      assertThat(info.shards().get(0).committed()).isEqualTo(5);
      assertThat(info.redeliveries()).isEqualTo(5);
    }
  }

  @Test
  void aPoisonRecordMovesToTheDeadLetterStreamAfterMaxDeliveries() {
    try (BrokerFixture f = fixture(QueueConfig.DEFAULTS.withMaxDeliveries(3))) {
      TestSink a = f.join(JOBS, "workers", 1, StartPosition.EARLIEST);
      f.publishAcked(
          JOBS,
          new RecordData(
              dev.felix.wire.Bytes.utf8("k"),
              List.of(Header.of("trace", "t1")),
              0,
              dev.felix.wire.Bytes.utf8("poison")));
      publish(f, JOBS, 1);
      for (int i = 0; i < 3; i++) {
        assertThat(a.offsets()).hasSize(i + 1).last().isEqualTo(0L);
        member(a).nack(0, at(0));
        f.settle();
      }
      assertThat(a.offsets()).containsExactly(0L, 0L, 0L, 1L);
      member(a).ack(at(1));
      f.settle();

      GroupInfo info = info(f, JOBS, "workers");
      assertThat(info.deadLettered()).isEqualTo(1);
      assertThat(info.shards().get(0).committed()).isEqualTo(2);
      TestSink dlq = f.subscribe(StreamRef.of("jobs.dlq"), StartPosition.EARLIEST);
      assertThat(dlq.deliveries()).hasSize(1);
      RecordData dead = dlq.deliveries().get(0).record();
      assertThat(dead.payload().toUtf8()).isEqualTo("poison");
      assertThat(dead.key().toUtf8()).isEqualTo("k");
      assertThat(dead.headers())
          .containsExactly(
              Header.of("trace", "t1"),
              Header.of("felix-dlq-reason", "max-deliveries"),
              Header.of("felix-dlq-deliveries", "3"),
              Header.of("felix-dlq-source", "default/default/jobs/0/0"),
              Header.of("felix-dlq-group", "workers"));
    }
  }

  @Test
  void theAckWindowHoldsNewLeasesBackUntilTheOldestIsAcked() {
    try (BrokerFixture f = fixture(QueueConfig.DEFAULTS.withMaxUnackedPerShard(5))) {
      TestSink a = f.join(JOBS, "workers", 100, StartPosition.EARLIEST);
      publish(f, JOBS, 20);
      assertThat(a.offsets()).containsExactly(0L, 1L, 2L, 3L, 4L);
      member(a).ack(at(1L, 2L, 3L, 4L));
      f.settle();
      assertThat(a.offsets()).hasSize(5); // offset 0 still holds the window
      GroupInfo info = info(f, JOBS, "workers");
      assertThat(info.windowFull()).isPositive();
      assertThat(info.shards().get(0).committed()).isZero();

      member(a).ack(at(0));
      f.settle();
      assertThat(a.offsets()).hasSize(10);
      assertThat(info(f, JOBS, "workers").shards().get(0).committed()).isEqualTo(5);
    }
  }

  @Test
  void aNewGroupStartsWhereItsFirstMemberSaysAndLaterMembersShareIt() {
    try (BrokerFixture f = fixture(QueueConfig.DEFAULTS)) {
      publish(f, JOBS, 3);
      TestSink latest = f.join(JOBS, "from-latest", 10, StartPosition.LATEST);
      TestSink earliest = f.join(JOBS, "from-earliest", 10, StartPosition.EARLIEST);
      assertThat(latest.offsets()).isEmpty();
      assertThat(earliest.offsets()).containsExactly(0L, 1L, 2L);
      TestSink second = f.join(JOBS, "from-latest", 10, StartPosition.EARLIEST);
      assertThat(second.offsets()).isEmpty();
      assertThat(second.subscription().startOffsets()).containsExactly(new ShardOffset(0, 3));
      publish(f, JOBS, 1);
      assertThat(latest.offsets().size() + second.offsets().size()).isEqualTo(1);
      assertThat(earliest.offsets()).containsExactly(0L, 1L, 2L, 3L);
    }
  }

  @Test
  void everyRecordOfEveryShardIsAckedOnceByFourMembers() {
    StreamConfig sharded = StreamConfig.DEFAULTS.withShards(4);
    try (BrokerFixture f =
        new BrokerFixture(BrokerConfig.builder().defaultStream(sharded).build())) {
      List<TestSink> members = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        members.add(f.join(JOBS, "workers", 7, StartPosition.EARLIEST));
      }
      for (int i = 0; i < 400; i++) {
        f.publishAcked(JOBS, BrokerFixture.keyed("key-" + i, "v" + i));
      }
      f.settle();
      Set<String> acked = new HashSet<>();
      int[] handled = new int[4];
      for (int round = 0; round < 1000 && acked.size() < 400; round++) {
        for (int m = 0; m < 4; m++) {
          List<TestSink.Delivery> deliveries = members.get(m).deliveries();
          List<ShardOffset> toAck = new ArrayList<>();
          for (int d = handled[m]; d < deliveries.size(); d++) {
            TestSink.Delivery delivery = deliveries.get(d);
            assertThat(acked.add(delivery.shard() + "/" + delivery.offset())).isTrue();
            toAck.add(new ShardOffset(delivery.shard(), delivery.offset()));
          }
          handled[m] = deliveries.size();
          if (!toAck.isEmpty()) {
            member(members.get(m)).ack(toAck);
          }
        }
        f.settle();
      }
      assertThat(acked).hasSize(400);
      GroupInfo info = info(f, JOBS, "workers");
      assertThat(info.lag()).isZero();
      assertThat(info.acks()).isEqualTo(400);
      for (TestSink sink : members) {
        assertThat(sink.offsets()).isNotEmpty();
      }
    }
  }

  @Test
  void recordsEvictedBeforeTheGroupReadsThemAreCountedAsLost() {
    StreamConfig small =
        StreamConfig.DEFAULTS.withLog(new MemoryLogConfig(64 * 1024 * 1024, 10, 1024));
    try (BrokerFixture f =
        new BrokerFixture(
            BrokerConfig.builder().maxRecordBytes(512).defaultStream(small).build())) {
      TestSink a = f.join(JOBS, "workers", 1, StartPosition.EARLIEST);
      publish(f, JOBS, 1);
      assertThat(a.offsets()).containsExactly(0L);
      publish(f, JOBS, 30); // the log keeps 10 records: 1..20 are gone before they are leased
      member(a).ack(at(0));
      f.settle();
      assertThat(a.offsets()).containsExactly(0L, 21L);
      GroupInfo info = info(f, JOBS, "workers");
      assertThat(info.lostRecords()).isEqualTo(20);
      assertThat(info.shards().get(0).committed()).isEqualTo(21);
    }
  }

  @Test
  void acksOfAnUnknownShardAreRejectedAndAnUnknownGroupHasNoFigures() {
    try (BrokerFixture f = fixture(QueueConfig.DEFAULTS)) {
      TestSink a = f.join(JOBS, "workers", 1, StartPosition.EARLIEST);
      assertThatThrownBy(() -> member(a).ack(List.of(new ShardOffset(3, 0))))
          .satisfies(
              e -> assertThat(((FelixException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
      assertThat(f.broker.group(JOBS, "nobody")).isEmpty();
      assertThat(f.broker.groups()).hasSize(1);
      assertThat(f.broker.metrics().subscriptions()).isEqualTo(1);
      a.subscription().close();
      f.settle();
      assertThat(f.broker.metrics().subscriptions()).isZero();
      assertThat(info(f, JOBS, "workers").members()).isZero();
    }
  }

  @Test
  void deletingTheStreamEndsItsMembers() {
    try (BrokerFixture f = fixture(QueueConfig.DEFAULTS)) {
      TestSink a = f.join(JOBS, "workers", 1, StartPosition.EARLIEST);
      f.broker.deleteStream(JOBS);
      f.settle();
      assertThat(a.closedWith().code()).isEqualTo(ErrorCode.UNAVAILABLE);
      assertThat(f.broker.groups()).isEmpty();
    }
  }
}
