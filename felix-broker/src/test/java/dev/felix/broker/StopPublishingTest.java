package dev.felix.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.felix.error.ErrorCode;
import dev.felix.error.UnavailableException;
import dev.felix.storage.durable.DurableLogConfig;
import dev.felix.storage.durable.FsyncPolicy;
import dev.felix.wire.message.PublishAck;
import dev.felix.wire.message.RecordData;
import dev.felix.wire.message.StartPosition;
import dev.felix.wire.message.StreamRef;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Broker#stopPublishing}: the broker's half of a graceful shutdown. After it, nothing more
 * is appended, and everything appended has reached the sinks that keep up.
 */
class StopPublishingTest {
  private static final StreamRef STREAM = StreamRef.of("drain");

  @TempDir Path dataDir;

  @Test
  void deliversWhatIsBatchedAndRefusesLaterPublishesTyped() {
    // A linger the manual scheduler never fires: only stopPublishing's flush can deliver these.
    StreamConfig lingering =
        StreamConfig.DEFAULTS.withBatching(
            new BatchingConfig(4096, 256 * 1024, Duration.ofSeconds(1)));
    try (BrokerFixture f =
        new BrokerFixture(BrokerConfig.builder().defaultStream(lingering).build())) {
      TestSink sink = f.subscribe(STREAM, StartPosition.LATEST);
      for (int i = 0; i < 10; i++) {
        f.publishAcked(STREAM, RecordData.of("m" + i));
      }
      assertThat(sink.offsets()).as("still batched").isEmpty();

      assertThat(f.broker.stopPublishing(Duration.ofSeconds(5))).isTrue();

      assertThat(sink.offsets()).containsExactlyElementsOf(range(10));
      long errorsBefore = f.broker.metrics().publishErrors();
      assertThatThrownBy(() -> f.publish(STREAM, RecordData.of("late")))
          .isInstanceOf(UnavailableException.class)
          .hasMessageContaining("shutting down")
          .extracting(e -> ((UnavailableException) e).code())
          .isEqualTo(ErrorCode.UNAVAILABLE);
      assertThat(f.broker.metrics().publishErrors()).isEqualTo(errorsBefore + 1);
      assertThat(f.broker.stream(STREAM).orElseThrow().shards().get(0).log().endOffset())
          .as("nothing of the refused publish appended")
          .isEqualTo(10);
    }
  }

  @Test
  void waitsForDurablePublishesStillOnTheirStorageLane() throws InterruptedException {
    StreamConfig durable =
        StreamConfig.DEFAULTS.withStorage(
            StreamStorage.durable(DurableLogConfig.DEFAULTS.withFsyncPolicy(FsyncPolicy.ALWAYS)));
    try (BrokerFixture f =
        new BrokerFixture(BrokerConfig.builder().dataDir(dataDir).defaultStream(durable).build())) {
      TestSink sink = f.subscribe(STREAM, StartPosition.EARLIEST);
      List<CompletableFuture<PublishAck>> acks = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        PublishResult result = f.publish(STREAM, RecordData.of("m" + i));
        assertThat(result.isAccepted()).isTrue();
        acks.add(result.ack().toCompletableFuture());
      }

      // Each append fsyncs on the lane: most of the 200 are still queued there now. Publishes
      // refused meanwhile must not be counted out of the gate as if they had been inside.
      AtomicBoolean stopped = new AtomicBoolean();
      Thread latecomer =
          new Thread(
              () -> {
                while (!stopped.get()) {
                  try {
                    f.publish(STREAM, RecordData.of("late"));
                  } catch (UnavailableException refused) {
                    // expected once the gate is closed
                  }
                }
              });
      latecomer.start();
      try {
        assertThat(f.broker.stopPublishing(Duration.ofSeconds(30))).isTrue();
        assertThat(sink.offsets())
            .as("delivered when stopPublishing returned")
            .hasSizeGreaterThanOrEqualTo(200);
      } finally {
        stopped.set(true);
        latecomer.join();
      }

      List<Long> offsets = sink.offsets();
      assertThat(offsets.subList(0, 200)).containsExactlyElementsOf(range(200));
      assertThat(acks)
          .allSatisfy(ack -> assertThat(ack.join().ranges().get(0).isSuccess()).isTrue());
    }
  }

  @Test
  void aSubscriberThatStopsReadingHoldsItOnlyUntilTheBound() {
    try (BrokerFixture f = new BrokerFixture()) {
      TestSink stalled = f.subscribe(STREAM, StartPosition.LATEST);
      stalled.stall();
      f.publishAcked(STREAM, RecordData.of("queued"));
      assertThat(f.broker.metrics().sendQueueBytes()).isPositive();

      long start = System.nanoTime();
      assertThat(f.broker.stopPublishing(Duration.ofMillis(200))).isFalse();
      assertThat(System.nanoTime() - start).isBetween(200_000_000L, 10_000_000_000L);

      stalled.resume();
      assertThat(stalled.offsets()).containsExactly(0L);
      assertThat(f.broker.stopPublishing(Duration.ofSeconds(5))).as("again, once drained").isTrue();
    }
  }

  private static List<Long> range(int count) {
    return LongStream.range(0, count).boxed().toList();
  }
}
