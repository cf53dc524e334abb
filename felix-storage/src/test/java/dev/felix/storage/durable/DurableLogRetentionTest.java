package dev.felix.storage.durable;

import static dev.felix.storage.durable.DurableTestRecords.batch;
import static dev.felix.storage.durable.DurableTestRecords.labels;
import static dev.felix.storage.durable.DurableTestRecords.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.storage.time.ManualClock;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableLogRetentionTest {
  @TempDir Path dir;
  private final ManualClock clock = new ManualClock(1_000_000);
  private final FlushScheduler scheduler = new FlushScheduler("test-flusher", clock);

  private static final DurableLogConfig CONFIG =
      DurableLogConfig.DEFAULTS
          .withSegmentBytes(1024)
          .withIndexIntervalBytes(100)
          .withFsyncPolicy(FsyncPolicy.NEVER);

  @AfterEach
  void stopScheduler() {
    scheduler.close();
  }

  private void fill(DurableLog log, int batches, long stepMs) {
    for (int i = 0; i < batches; i++) {
      log.append(batch("r" + i + "-", 2, 60));
      clock.advanceMillis(stepMs);
    }
  }

  @Test
  void timeRetentionDeletesWholeSealedSegmentsOlderThanTheLimit() {
    DurableLogConfig config = CONFIG.withRetentionMs(10_000);
    try (DurableLog log = DurableLog.open(dir, config, clock, scheduler)) {
      fill(log, 30, 1_000);
      int segments = log.metrics().segments();
      long end = log.endOffset();
      // Records of batch i are stamped 1_000_000 + 1000 i; now is 1_030_000, so the limit is
      // 1_020_000: segments whose newest record is before batch 20 go.
      int deleted = log.applyRetention(clock.epochMillis());

      assertThat(deleted).isPositive();
      assertThat(log.metrics().segments()).isEqualTo(segments - deleted);
      assertThat(log.startOffset()).isPositive().isLessThanOrEqualTo(40);
      assertThat(log.endOffset()).isEqualTo(end);
      assertThat(log.metrics().evictedRecords()).isEqualTo(log.startOffset());
      assertThat(readAll(log, log.startOffset(), 1000)).hasSize((int) (end - log.startOffset()));
      assertThatThrownBy(() -> log.read(log.startOffset() - 1, 1, 100, ByteBuffer.allocate(100)))
          .extracting(e -> ((FelixException) e).code())
          .isEqualTo(ErrorCode.OFFSET_OUT_OF_RANGE);
      assertThat(log.offsetForTimestamp(0)).isEqualTo(log.startOffset());
      assertThat(log.applyRetention(clock.epochMillis())).isZero();
    }
    try (DurableLog log = DurableLog.open(dir, config, clock, scheduler)) {
      assertThat(log.startOffset()).isPositive();
      assertThat(labels(readAll(log, log.startOffset(), 1))).hasSize(1);
    }
  }

  @Test
  void timeRetentionNeverDeletesTheActiveSegment() {
    try (DurableLog log = DurableLog.open(dir, CONFIG.withRetentionMs(1), clock, scheduler)) {
      fill(log, 2, 0);
      clock.advanceMillis(1_000_000);
      assertThat(log.applyRetention(clock.epochMillis())).isZero();
      assertThat(log.startOffset()).isZero();
    }
  }

  @Test
  void sizeRetentionKeepsTheSegmentsWithinTheLimit() {
    DurableLogConfig config = CONFIG.withRetentionBytes(3000);
    try (DurableLog log = DurableLog.open(dir, config, clock, scheduler)) {
      fill(log, 60, 0);
      // Retention ran on every roll; since then the active segment has grown past the bound.
      assertThat(log.metrics().retainedBytes()).isLessThanOrEqualTo(3000 + CONFIG.segmentBytes());
      log.applyRetention(clock.epochMillis());
      assertThat(log.metrics().retainedBytes()).isLessThanOrEqualTo(3000);
      assertThat(log.startOffset()).isPositive();
      assertThat(log.metrics().evictedBytes()).isPositive();
      assertThat(readAll(log, log.startOffset(), 1000))
          .hasSize((int) (log.endOffset() - log.startOffset()));
    }
  }
}
