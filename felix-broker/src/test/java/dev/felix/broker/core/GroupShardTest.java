package dev.felix.broker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-shard state machine of a consumer group, without a broker around it. */
class GroupShardTest {
  private static final int MEMBER = 1;
  private static final int OTHER = 2;

  @Test
  void outOfOrderAcksHoldThePositionUntilTheGapIsAcked() {
    GroupShard shard = new GroupShard(0, 8, 100);
    shard.leaseNew(MEMBER, 4, 1_000);
    assertThat(shard.ack(MEMBER, 101)).isEqualTo(MEMBER);
    assertThat(shard.ack(MEMBER, 103)).isEqualTo(MEMBER);
    assertThat(shard.committed()).isEqualTo(100);
    assertThat(shard.doneRuns()).containsExactly(new long[] {101, 1}, new long[] {103, 1});
    assertThat(shard.ack(OTHER, 100)).as("not the holder").isEqualTo(-1);
    assertThat(shard.ack(MEMBER, 100)).isEqualTo(MEMBER);
    assertThat(shard.committed()).isEqualTo(102);
    assertThat(shard.ack(MEMBER, 100)).as("already done").isEqualTo(-1);
  }

  @Test
  void theWindowBoundsLeasesBeyondThePosition() {
    GroupShard shard = new GroupShard(0, 3, 0);
    shard.leaseNew(MEMBER, 3, 1_000);
    assertThat(shard.windowRoom()).isZero();
    assertThatThrownBy(() -> shard.leaseNew(MEMBER, 1, 1_000))
        .isInstanceOf(IllegalStateException.class);
    shard.ack(MEMBER, 0);
    assertThat(shard.windowRoom()).isEqualTo(1);
  }

  @Test
  void expiryReleasesInDeadlineOrderAndMaxDeliveriesDeadLetters() {
    GroupShard shard = new GroupShard(0, 8, 0);
    shard.leaseNew(MEMBER, 1, 1_000);
    shard.leaseNew(OTHER, 1, 2_000);
    assertThat(shard.firstExpired(999)).isNull();
    GroupShard.Entry first = shard.firstExpired(1_000);
    assertThat(first.offset).isZero();
    assertThat(shard.release(first, false, 2)).isEqualTo(GroupShard.State.WAITING);
    assertThat(shard.firstDeadlineNanos()).isEqualTo(2_000);

    GroupShard.Entry ready = shard.pollReady();
    assertThat(ready).isSameAs(first);
    shard.leaseAgain(ready, OTHER, 3_000);
    assertThat(ready.deliveries).isEqualTo(2);
    assertThat(shard.release(ready, false, 2)).isEqualTo(GroupShard.State.DEAD_PENDING);
    assertThat(shard.pollDeadPending()).isSameAs(ready);
    shard.markDone(ready);
    assertThat(shard.committed()).isEqualTo(1);
  }

  @Test
  void aDelayedNackWaitsAndALateAckFinishesAWaitingRecord() {
    GroupShard shard = new GroupShard(0, 8, 0);
    shard.leaseNew(MEMBER, 2, 1_000);
    GroupShard.Entry delayed = shard.leasedBy(MEMBER, 0);
    assertThat(shard.release(delayed, true, 5)).isEqualTo(GroupShard.State.DELAYED);
    assertThat(shard.hasReady()).isFalse();
    shard.delayedDue(delayed);
    assertThat(shard.hasReady()).isTrue();
    assertThat(shard.ack(OTHER, 0)).as("nobody holds it: accepted").isZero();
    assertThat(shard.hasReady()).as("the stale queue item is skipped").isFalse();
    assertThat(shard.committed()).isEqualTo(1);
  }

  @Test
  void lostRecordsAreSkippedAndAnEmptyWindowJumps() {
    GroupShard shard = new GroupShard(0, 4, 0);
    assertThat(shard.skipLost(1_000)).isEqualTo(1_000);
    assertThat(shard.committed()).isEqualTo(1_000);
    shard.leaseNew(MEMBER, 1, 1);
    assertThat(shard.skipLost(1_010)).as("three slots left in the window").isEqualTo(3);
    assertThat(shard.next()).isEqualTo(1_004);
    shard.ack(MEMBER, 1_000);
    assertThat(shard.committed()).isEqualTo(1_004);
  }

  @Test
  void restoringStoredRunsRedeliversOnlyTheGapsBetweenThem() {
    GroupShard shard = new GroupShard(0, 100, 10);
    shard.restoreDone(List.of(new long[] {12, 2}, new long[] {16, 1}), 0, 1_000);
    assertThat(shard.committed()).isEqualTo(10);
    assertThat(shard.next()).isEqualTo(17);
    StringBuilder redelivered = new StringBuilder();
    GroupShard.Entry entry;
    while ((entry = shard.pollReady()) != null) {
      redelivered.append(entry.offset).append(' ');
      shard.leaseAgain(entry, MEMBER, 1);
      shard.ack(MEMBER, entry.offset);
    }
    assertThat(redelivered.toString().trim()).isEqualTo("10 11 14 15");
    assertThat(shard.committed()).isEqualTo(17);

    GroupShard clamped = new GroupShard(0, 100, 10);
    clamped.restoreDone(List.of(new long[] {12, 50}), 0, 20);
    assertThat(clamped.next()).as("never beyond the log's end").isEqualTo(20);
  }
}
