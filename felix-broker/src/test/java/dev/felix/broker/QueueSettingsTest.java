package dev.felix.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.felix.error.ErrorCode;
import dev.felix.error.ProtocolException;
import dev.felix.wire.message.RecordData;
import dev.felix.wire.message.ShardOffset;
import dev.felix.wire.message.StartPosition;
import dev.felix.wire.message.StreamRef;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A consumer group's own settings: defaults, validation, live changes, deletion. */
class QueueSettingsTest {
  private static final StreamRef JOBS = StreamRef.of("jobs");

  private static QueueSubscription member(TestSink sink) {
    return (QueueSubscription) sink.subscription();
  }

  private static void publish(BrokerFixture f, int count) {
    for (int i = 0; i < count; i++) {
      f.publishAcked(JOBS, RecordData.of("job-" + i));
    }
    f.settle();
  }

  private static GroupInfo info(BrokerFixture f) {
    return f.broker.group(JOBS, "workers").orElseThrow();
  }

  @Test
  void aGroupCreatedByAJoinTakesTheBrokerWideValues() {
    try (BrokerFixture f = new BrokerFixture()) {
      f.join(JOBS, "workers", 0, StartPosition.EARLIEST);
      assertThat(info(f).settings()).isEqualTo(GroupSettings.defaults(QueueConfig.DEFAULTS));
      assertThat(f.broker.groupSettings(JOBS, "workers")).isEmpty();
    }
  }

  @Test
  void settingsMadeBeforeTheFirstJoinApplyToTheGroupItCreates() {
    try (BrokerFixture f = new BrokerFixture()) {
      GroupSettings own = new GroupSettings(3, 1_000, "jobs.failed", 2);
      assertThat(f.broker.putGroupSettings(JOBS, "workers", own)).isTrue();
      assertThat(f.broker.putGroupSettings(JOBS, "workers", own)).as("an update").isFalse();
      f.broker.createStream(JOBS, f.broker.config().defaultStream());
      TestSink a = f.join(JOBS, "workers", 0, StartPosition.EARLIEST);
      publish(f, 5);
      assertThat(a.offsets()).as("the group's max in flight").containsExactly(0L, 1L);
      assertThat(info(f).settings()).isEqualTo(own);
    }
  }

  @Test
  void aShorterVisibilityTimeoutAppliesToLeasesMadeAfterTheChange() {
    try (BrokerFixture f = new BrokerFixture()) {
      f.broker.putGroupSettings(JOBS, "workers", new GroupSettings(5, 10_000, null, 1));
      f.broker.createStream(JOBS, f.broker.config().defaultStream());
      TestSink a = f.join(JOBS, "workers", 0, StartPosition.EARLIEST);
      publish(f, 2);
      assertThat(a.offsets()).containsExactly(0L);

      f.broker.putGroupSettings(JOBS, "workers", new GroupSettings(5, 100, null, 1));
      member(a).ack(List.of(new ShardOffset(0, 0)));
      f.settle();
      assertThat(a.offsets()).containsExactly(0L, 1L);
      f.scheduler.advance(Duration.ofMillis(100));
      assertThat(info(f).expiredLeases()).as("offset 1 leased for 100 ms").isEqualTo(1);
      assertThat(a.offsets()).containsExactly(0L, 1L, 1L);
    }
  }

  @Test
  void aLoweredMaxDeliveriesDeadLettersAWaitingRecordAtItsNextDelivery() {
    try (BrokerFixture f = new BrokerFixture()) {
      f.broker.putGroupSettings(JOBS, "workers", new GroupSettings(5, 30_000, "jobs.failed", 1));
      f.broker.createStream(JOBS, f.broker.config().defaultStream());
      TestSink a = f.join(JOBS, "workers", 0, StartPosition.EARLIEST);
      publish(f, 1);
      member(a).nack(500, List.of(new ShardOffset(0, 0)));
      f.settle();

      f.broker.putGroupSettings(JOBS, "workers", new GroupSettings(1, 30_000, "jobs.failed", 1));
      f.scheduler.advance(Duration.ofMillis(500));
      f.settle();
      assertThat(a.offsets()).as("not delivered a second time").containsExactly(0L);
      assertThat(info(f).deadLettered()).isEqualTo(1);
      assertThat(info(f).lag()).isZero();
      TestSink failed = f.subscribe(StreamRef.of("jobs.failed"), StartPosition.EARLIEST);
      assertThat(failed.deliveries()).hasSize(1);
      assertThat(f.broker.stream(StreamRef.of("jobs.dlq"))).isEmpty();
    }
  }

  @Test
  void badSettingsAreRefusedNamingTheField() {
    try (BrokerFixture f = new BrokerFixture()) {
      assertRefused(f, new GroupSettings(0, 1, null, 1), "maxDeliveries: ");
      assertRefused(f, new GroupSettings(1, 0, null, 1), "visibilityTimeoutMs: ");
      assertRefused(f, new GroupSettings(1, 1, null, 0), "maxInFlight: ");
      assertRefused(
          f, new GroupSettings(1, 1, null, QueueConfig.DEFAULT_MAX_IN_FLIGHT + 1), "maxInFlight: ");
      assertRefused(f, new GroupSettings(1, 1, "no/slash", 1), "deadLetterStream: ");
      assertRefused(f, new GroupSettings(1, 1, "jobs", 1), "deadLetterStream: ");
      assertThat(f.broker.groupSettings(JOBS, "workers")).isEmpty();
    }
  }

  private static void assertRefused(BrokerFixture f, GroupSettings settings, String field) {
    assertThatThrownBy(() -> f.broker.putGroupSettings(JOBS, "workers", settings))
        .isInstanceOfSatisfying(
            ProtocolException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessageStartingWith(field);
  }

  @Test
  void deletingAGroupEndsItsMembersAndForgetsItsSettings() {
    try (BrokerFixture f = new BrokerFixture()) {
      f.broker.putGroupSettings(JOBS, "workers", new GroupSettings(2, 1_000, null, 4));
      f.broker.createStream(JOBS, f.broker.config().defaultStream());
      TestSink a = f.join(JOBS, "workers", 0, StartPosition.EARLIEST);
      publish(f, 3);
      assertThat(f.broker.deleteGroup(JOBS, "workers")).isTrue();
      f.settle();
      assertThat(a.closedWith().code()).isEqualTo(ErrorCode.UNAVAILABLE);
      assertThat(f.broker.group(JOBS, "workers")).isEmpty();
      assertThat(f.broker.groupSettings(JOBS, "workers")).isEmpty();
      assertThat(f.broker.deleteGroup(JOBS, "workers")).isFalse();

      TestSink b = f.join(JOBS, "workers", 0, StartPosition.EARLIEST);
      assertThat(b.offsets()).as("a new group, at the defaults, from the start").hasSize(3);
      assertThat(info(f).settings()).isEqualTo(GroupSettings.defaults(QueueConfig.DEFAULTS));
    }
  }
}
