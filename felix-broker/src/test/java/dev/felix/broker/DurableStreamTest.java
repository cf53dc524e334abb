package dev.felix.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.felix.storage.durable.DurableLogConfig;
import dev.felix.storage.durable.FsyncPolicy;
import dev.felix.wire.message.PublishAck;
import dev.felix.wire.message.RecordData;
import dev.felix.wire.message.StartPosition;
import dev.felix.wire.message.StreamRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Durable streams: appends on storage threads, restart, slow subscribers reading the log. */
class DurableStreamTest {
  @TempDir Path dataDir;

  private BrokerFixture broker(FsyncPolicy fsync) {
    StreamConfig durable =
        StreamConfig.DEFAULTS
            .withSendQueueBytes(4 * 1024)
            .withStorage(
                StreamStorage.durable(
                    DurableLogConfig.DEFAULTS.withFsyncPolicy(fsync).withSegmentBytes(64 * 1024)));
    return new BrokerFixture(
        BrokerConfig.builder().dataDir(dataDir).defaultStream(durable).build());
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(5);
    }
  }

  private static List<PublishAck> publishAll(BrokerFixture f, StreamRef stream, int count) {
    List<CompletableFuture<PublishAck>> acks = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      PublishResult result = f.publish(stream, RecordData.of("m" + i));
      assertThat(result.isAccepted()).isTrue();
      acks.add(result.ack().toCompletableFuture());
    }
    return acks.stream().map(CompletableFuture::join).toList();
  }

  @Test
  void acknowledgedRecordsSurviveARestartWithTheirOffsets() throws Exception {
    StreamRef stream = StreamRef.of("orders");
    try (BrokerFixture f = broker(FsyncPolicy.ALWAYS)) {
      List<PublishAck> acks = publishAll(f, stream, 100);
      assertThat(acks.get(99).ranges().get(0).baseOffset()).isEqualTo(99);
    }
    assertThat(Files.exists(dataDir.resolve("streams/default/default/orders/stream.properties")))
        .isTrue();
    try (BrokerFixture f = broker(FsyncPolicy.ALWAYS)) {
      assertThat(f.broker.stream(stream)).isPresent();
      TestSink sink = f.subscribe(stream, StartPosition.EARLIEST);
      await("the backlog", () -> sink.offsets().size() == 100);
      assertThat(sink.offsets())
          .containsExactlyElementsOf(LongStream.range(0, 100).boxed().toList());
      assertThat(sink.payloads().get(42)).isEqualTo("m42");

      List<PublishAck> more = publishAll(f, stream, 1);
      assertThat(more.get(0).ranges().get(0).baseOffset()).isEqualTo(100);
    }
  }

  @Test
  void aStalledSubscriberOfADurableStreamLosesNothingAndNeverBlocksPublishers() throws Exception {
    StreamRef stream = StreamRef.of("events");
    try (BrokerFixture f = broker(FsyncPolicy.NEVER)) {
      TestSink slow = f.subscribe(stream, StartPosition.LATEST);
      TestSink fast = f.subscribe(stream, StartPosition.LATEST);
      slow.stall();
      // Far more than the 4 KiB send queue: a memory stream would drop or block here.
      publishAll(f, stream, 2_000);
      await("the fast subscriber", () -> fast.offsets().size() == 2_000);

      slow.resume();
      for (int i = 0; i < 200 && slow.offsets().size() < 2_000; i++) {
        f.settle(); // catch-up steps run on the (manual) scheduler
        Thread.sleep(2);
      }
      assertThat(slow.offsets())
          .containsExactlyElementsOf(LongStream.range(0, 2_000).boxed().toList());
      assertThat(slow.notices()).isEmpty();
      assertThat(f.broker.metrics().droppedRecords()).isZero();
      assertThat(f.broker.metrics().publishBlocked()).isZero();
    }
  }

  @Test
  void deletingADurableStreamRemovesItsFiles() {
    StreamRef stream = StreamRef.of("temp");
    try (BrokerFixture f = broker(FsyncPolicy.INTERVAL)) {
      publishAll(f, stream, 10);
      assertThat(f.broker.deleteStream(stream)).isPositive();
      assertThat(Files.exists(dataDir.resolve("streams/default/default/temp"))).isFalse();
      assertThat(f.broker.stream(stream)).isEmpty();
    }
    try (BrokerFixture f = broker(FsyncPolicy.INTERVAL)) {
      assertThat(f.broker.stream(stream)).isEmpty();
    }
  }

  @Test
  void aDurableStreamNeedsADataDirectory() {
    StreamConfig durable =
        StreamConfig.DEFAULTS.withStorage(StreamStorage.durable(DurableLogConfig.DEFAULTS));
    assertThatThrownBy(() -> BrokerConfig.builder().defaultStream(durable).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("data directory");
  }

  @Test
  void explicitlyCreatedDurableStreamsKeepTheirSettingsAcrossRestarts() {
    StreamRef stream = new StreamRef("acme", "prod", "audit");
    StreamConfig config =
        StreamConfig.DEFAULTS
            .withShards(3)
            .withStorage(
                StreamStorage.durable(
                    DurableLogConfig.DEFAULTS
                        .withFsyncPolicy(FsyncPolicy.ALWAYS)
                        .withRetentionMs(3_600_000)));
    try (BrokerFixture f = new BrokerFixture(BrokerConfig.builder().dataDir(dataDir).build())) {
      f.broker.createStream(stream, config);
    }
    try (BrokerFixture f = new BrokerFixture(BrokerConfig.builder().dataDir(dataDir).build())) {
      StreamConfig reopened = f.broker.stream(stream).orElseThrow().config();
      assertThat(reopened.shards()).isEqualTo(3);
      assertThat(reopened.durable()).isTrue();
      assertThat(reopened.storage().log().fsyncPolicy()).isEqualTo(FsyncPolicy.ALWAYS);
      assertThat(reopened.storage().log().retentionMs()).isEqualTo(3_600_000);
    }
  }
}
