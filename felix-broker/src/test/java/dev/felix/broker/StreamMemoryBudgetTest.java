package dev.felix.broker;

import static dev.felix.broker.BrokerFixture.keyed;
import static dev.felix.broker.BrokerFixture.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.storage.log.MemoryLogConfig;
import dev.felix.wire.message.RecordData;
import dev.felix.wire.message.StreamRef;
import org.junit.jupiter.api.Test;

/**
 * The broker-wide bound on what memory streams hold (FELIX_STREAMS_MEMORY_MAX_BYTES): without it,
 * streams each within their own bound ran the heap out of memory.
 */
class StreamMemoryBudgetTest {
  private static final StreamRef BIG = StreamRef.of("big");
  private static final StreamRef MID = StreamRef.of("mid");
  private static final StreamRef SMALL = StreamRef.of("small");
  private static final StreamRef SPLIT = StreamRef.of("split");

  /** Streams (shards) of up to 4 KiB each; all of them together up to 6 KiB. */
  private static BrokerFixture broker() {
    StreamConfig stream =
        StreamConfig.DEFAULTS.withLog(new MemoryLogConfig(4 * 1024, 10_000, 1024));
    return new BrokerFixture(
        BrokerFixture.smallConfig(stream).streamsMemoryMaxBytes(6 * 1024).build());
  }

  /** Records of one size, so that an append at a stream's bound evicts exactly what it adds. */
  private static RecordData sized(int i) {
    return record(String.format("%0100d", i));
  }

  /** Publishes to shard {@code shard} of {@code stream} until its own bound makes it evict. */
  private static void fillToItsBound(BrokerFixture fixture, StreamRef stream, int shard) {
    for (int i = 0; i < 100; i++) {
      assertThat(fixture.publishTo(stream, shard, sized(i)).isAccepted()).isTrue();
    }
  }

  /** Publishes to {@code stream} until the budget refuses it. */
  private static void spendTheBudget(BrokerFixture fixture, StreamRef stream) {
    for (int i = 0; i < 1000; i++) {
      try {
        fixture.publish(stream, sized(i));
      } catch (FelixException e) {
        assertThat(e.code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
        return;
      }
    }
    throw new AssertionError("the budget never refused " + stream);
  }

  @Test
  void aStreamThatWouldGrowPastTheSpentBudgetIsRefusedTypedWhileAFullOneKeepsWorking() {
    try (BrokerFixture fixture = broker()) {
      fillToItsBound(fixture, BIG, 0);
      spendTheBudget(fixture, MID);
      long used = fixture.broker.streamMemory().usedBytes();

      assertThatThrownBy(() -> fixture.publish(SMALL, sized(0)))
          .isInstanceOf(FelixException.class)
          .satisfies(
              e -> assertThat(((FelixException) e).code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED))
          .hasMessageContaining("FELIX_STREAMS_MEMORY_MAX_BYTES");
      assertThat(fixture.broker.streamMemory().refusals()).isEqualTo(2); // MID's last, SMALL
      assertThat(fixture.broker.metrics().publishErrors()).isEqualTo(2);

      // BIG is at its own bound: each publish evicts what it adds and still passes.
      fillToItsBound(fixture, BIG, 0);
      assertThat(fixture.broker.streamMemory().usedBytes()).isEqualTo(used);
      assertThat(used).isLessThanOrEqualTo(6 * 1024);
    }
  }

  @Test
  void deletingAStreamGivesItsMemoryBack() {
    try (BrokerFixture fixture = broker()) {
      fillToItsBound(fixture, BIG, 0);
      spendTheBudget(fixture, MID);
      long midBytes = fixture.broker.streamMemory().usedBytes() - retained(fixture, BIG);

      fixture.broker.deleteStream(BIG);

      assertThat(fixture.broker.streamMemory().usedBytes()).isEqualTo(midBytes);
      assertThat(fixture.publish(SMALL, sized(0)).isAccepted()).isTrue();
    }
  }

  @Test
  void aPublishSplitOverShardsIsRefusedWholeWhenOneShardCannotGrow() {
    try (BrokerFixture fixture = broker()) {
      fixture.broker.createStream(SPLIT, fixture.broker.config().defaultStream().withShards(4));
      fillToItsBound(fixture, SPLIT, 0);
      spendTheBudget(fixture, MID);
      long used = fixture.broker.streamMemory().usedBytes();
      long appended = appended(fixture, SPLIT);

      // Eight keys spread over the shards; shards 1-3 are empty and would have to grow.
      RecordData[] records = new RecordData[8];
      for (int i = 0; i < records.length; i++) {
        records[i] = keyed("key-" + i, "value-" + i);
      }
      assertThatThrownBy(() -> fixture.publish(SPLIT, records))
          .isInstanceOf(FelixException.class)
          .satisfies(
              e -> assertThat(((FelixException) e).code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED));
      assertThat(fixture.broker.streamMemory().usedBytes()).isEqualTo(used);
      assertThat(appended(fixture, SPLIT)).isEqualTo(appended);
    }
  }

  private static long retained(BrokerFixture fixture, StreamRef stream) {
    return fixture.broker.stream(stream).orElseThrow().shards().stream()
        .mapToLong(shard -> shard.log().retainedBytes())
        .sum();
  }

  /** Records appended to {@code stream} over all its shards. */
  private static long appended(BrokerFixture fixture, StreamRef stream) {
    return fixture.broker.stream(stream).orElseThrow().shards().stream()
        .mapToLong(shard -> shard.log().appendedRecords())
        .sum();
  }
}
