package dev.felix.broker;

import static dev.felix.broker.BrokerFixture.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.storage.durable.DurableLogConfig;
import dev.felix.storage.durable.FsyncPolicy;
import dev.felix.wire.message.ShardOffset;
import dev.felix.wire.message.StartPosition;
import dev.felix.wire.message.StreamRef;
import dev.felix.wire.message.Subscribe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Named subscription cursors: resume, monotonic commits, range checks, the bound, durability. */
class NamedCursorTest {
  private static final StreamRef LOG = StreamRef.of("log");

  @TempDir Path dataDir;

  private static void publish(BrokerFixture f, int count) {
    for (int i = 0; i < count; i++) {
      f.publishAcked(LOG, record("r" + i));
    }
  }

  private static TestSink subscribe(BrokerFixture f, String cursor, StartPosition start) {
    TestSink sink = new TestSink(99);
    sink.attach(f.broker.subscribe(Subscribe.of(LOG, start), cursor, sink.subscriptionId(), sink));
    f.settle();
    return sink;
  }

  private static List<ShardOffset> commit(BrokerFixture f, String cursor, long... offsets) {
    List<ShardOffset> shards = new java.util.ArrayList<>();
    for (int shard = 0; shard < offsets.length; shard++) {
      shards.add(new ShardOffset(shard, offsets[shard]));
    }
    return f.broker.commitCursor(LOG, cursor, shards).toCompletableFuture().join();
  }

  private static void assertCode(ErrorCode code, ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOf(FelixException.class)
        .extracting(e -> ((FelixException) e).code())
        .isEqualTo(code);
  }

  @Test
  void aSubscriptionNamingACursorResumesAtItsCommittedPositionOthersAtTheirStart() {
    try (BrokerFixture f = new BrokerFixture()) {
      publish(f, 10);
      TestSink before = subscribe(f, "billing", StartPosition.EARLIEST);
      assertThat(before.offsets()).hasSize(10);
      assertThat(commit(f, "billing", 6)).containsExactly(new ShardOffset(0, 6));
      TestSink after = subscribe(f, "billing", StartPosition.EARLIEST);
      assertThat(after.subscription().startOffsets()).containsExactly(new ShardOffset(0, 6));
      assertThat(after.offsets()).containsExactly(6L, 7L, 8L, 9L);
      // another cursor (fan-out) and an unknown one start where the request says
      assertThat(subscribe(f, "audit", StartPosition.EARLIEST).offsets()).hasSize(10);
      assertThat(f.broker.cursors(LOG)).hasSize(1);
    }
  }

  @Test
  void commitsNeverMoveBackwardsAndDeleteResets() {
    try (BrokerFixture f = new BrokerFixture()) {
      publish(f, 10);
      commit(f, "c", 8);
      assertThat(commit(f, "c", 3))
          .as("a lower commit is ignored")
          .containsExactly(new ShardOffset(0, 8));
      CursorInfo info = f.broker.cursors(LOG).get(0);
      assertThat(info.name()).isEqualTo("c");
      assertThat(info.durable()).isFalse();
      assertThat(info.shards()).containsExactly(new CursorInfo.Shard(0, 8, 2));
      assertThat(info.lag()).isEqualTo(2);
      assertThat(f.broker.metrics().cursors()).isEqualTo(1);
      assertThat(f.broker.metrics().cursorCommits()).isEqualTo(2);

      assertThat(f.broker.deleteCursor(LOG, "c")).isTrue();
      assertThat(f.broker.deleteCursor(LOG, "c")).isFalse();
      assertThat(f.broker.metrics().cursors()).isZero();
      assertThat(commit(f, "c", 3)).containsExactly(new ShardOffset(0, 3));
    }
  }

  @Test
  void badCommitsAreRefusedTypedAndChangeNothing() {
    try (BrokerFixture f = new BrokerFixture()) {
      publish(f, 5);
      commit(f, "c", 2);
      assertCode(ErrorCode.OFFSET_OUT_OF_RANGE, () -> commit(f, "c", 6));
      assertCode(ErrorCode.INVALID_ARGUMENT, () -> commit(f, "c", 1, 1)); // no shard 1
      assertCode(ErrorCode.INVALID_ARGUMENT, () -> commit(f, "bad/name", 1));
      assertCode(ErrorCode.INVALID_ARGUMENT, () -> commit(f, "", 1));
      assertCode(
          ErrorCode.INVALID_ARGUMENT,
          () -> f.broker.commitCursor(LOG, "c", List.of()).toCompletableFuture().join());
      assertCode(
          ErrorCode.NOT_FOUND,
          () ->
              f.broker
                  .commitCursor(StreamRef.of("nope"), "c", List.of(new ShardOffset(0, 0)))
                  .toCompletableFuture()
                  .join());
      assertThat(f.broker.cursors(LOG).get(0).shards())
          .containsExactly(new CursorInfo.Shard(0, 2, 3));
      assertThat(commit(f, "c", 5))
          .as("the end itself is fine")
          .containsExactly(new ShardOffset(0, 5));
    }
  }

  @Test
  void theNumberOfCursorsIsBounded() {
    try (BrokerFixture f = new BrokerFixture(BrokerConfig.builder().maxCursors(2).build())) {
      publish(f, 1);
      commit(f, "a", 1);
      commit(f, "b", 1);
      assertCode(ErrorCode.LIMIT_EXCEEDED, () -> commit(f, "c", 1));
      commit(f, "a", 1); // existing cursors still commit
      f.broker.deleteCursor(LOG, "b");
      commit(f, "c", 1);
      assertThat(f.broker.cursors(LOG)).extracting(CursorInfo::name).containsExactly("a", "c");
    }
  }

  @Test
  void deletingTheStreamRemovesItsCursors() {
    try (BrokerFixture f = new BrokerFixture()) {
      publish(f, 3);
      commit(f, "c", 3);
      f.broker.deleteStream(LOG);
      publish(f, 1);
      assertThat(f.broker.cursors(LOG)).isEmpty();
      assertThat(f.broker.metrics().cursors()).isZero();
    }
  }

  private BrokerFixture durable(int shards) {
    StreamConfig stream =
        StreamConfig.DEFAULTS
            .withShards(shards)
            .withStorage(
                StreamStorage.durable(
                    DurableLogConfig.DEFAULTS.withFsyncPolicy(FsyncPolicy.ALWAYS)));
    return new BrokerFixture(BrokerConfig.builder().dataDir(dataDir).defaultStream(stream).build());
  }

  @Test
  void durableStreamsKeepCursorsAcrossRestartsPerShard() throws Exception {
    try (BrokerFixture f = durable(2)) {
      for (int i = 0; i < 6; i++) {
        f.publishTo(LOG, i % 2, record("r" + i)).ack().toCompletableFuture().join();
      }
      commit(f, "c", 1, 2);
      commit(f, "c", 3, 1); // shard 0 moves on, shard 1 stays at 2
      // a synchronous commit is answered after the position file was forced
      assertThat(Files.exists(dataDir.resolve("cursors/positions.fxps"))).isTrue();
      commit(f, "gone", 1, 1);
      f.broker.deleteCursor(LOG, "gone");
    }
    try (BrokerFixture f = durable(2)) {
      assertThat(f.broker.cursors(LOG)).hasSize(1);
      CursorInfo info = f.broker.cursors(LOG).get(0);
      assertThat(info.durable()).isTrue();
      assertThat(info.shards())
          .containsExactly(new CursorInfo.Shard(0, 3, 0), new CursorInfo.Shard(1, 2, 1));
      TestSink sink = subscribe(f, "c", StartPosition.EARLIEST);
      assertThat(sink.subscription().startOffsets())
          .containsExactly(new ShardOffset(0, 3), new ShardOffset(1, 2));
      f.broker.deleteStream(LOG);
    }
    try (BrokerFixture f = durable(2)) {
      assertThat(f.broker.cursors(LOG)).as("removed with the stream").isEmpty();
    }
  }

  @Test
  void memoryStreamsForgetCursorsWithARestart() {
    BrokerConfig config = BrokerConfig.builder().dataDir(dataDir).build();
    try (BrokerFixture f = new BrokerFixture(config)) {
      publish(f, 2);
      commit(f, "c", 2);
    }
    try (BrokerFixture f = new BrokerFixture(config)) {
      assertThat(f.broker.cursors(LOG)).isEmpty();
    }
  }
}
