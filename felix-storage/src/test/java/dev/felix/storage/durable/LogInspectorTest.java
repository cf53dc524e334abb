package dev.felix.storage.durable;

import static dev.felix.storage.durable.DurableTestRecords.batch;
import static dev.felix.storage.durable.DurableTestRecords.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.storage.time.ManualClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogInspectorTest {
  @TempDir Path dir;
  private final ManualClock clock = new ManualClock(1_000_000);

  private static final DurableLogConfig CONFIG =
      DurableLogConfig.DEFAULTS.withSegmentBytes(1024).withFsyncPolicy(FsyncPolicy.NEVER);

  private void write() {
    try (FlushScheduler scheduler = new FlushScheduler("inspector-flusher", clock);
        DurableLog log = DurableLog.open(dir, CONFIG, clock, scheduler)) {
      log.append(batch(record("first", 10, 500)));
      for (int i = 0; i < 20; i++) {
        clock.advanceMillis(10);
        log.append(batch("r" + i + "-", 2, 50));
      }
    }
  }

  @Test
  void statsSummariseTheDirectory() {
    write();
    LogStats stats = LogInspector.stats(dir);
    assertThat(stats.segments()).isGreaterThan(1);
    assertThat(stats.startOffset()).isZero();
    assertThat(stats.endOffset()).isEqualTo(41);
    assertThat(stats.records()).isEqualTo(41);
    assertThat(stats.firstTimestampMs()).isEqualTo(500);
    assertThat(stats.maxTimestampMs()).isEqualTo(1_000_200);
    assertThat(stats.segmentBytes()).isPositive();
    assertThat(stats.indexBytes()).isPositive();
  }

  @Test
  void dumpIteratesBatchesAndRecordsFromAnOffset() {
    write();
    List<DumpedRecord> records = new ArrayList<>();
    try (BatchIterator batches = LogInspector.dump(dir, 20)) {
      while (batches.hasNext()) {
        DumpedBatch batch = batches.next();
        assertThat(batch.records()).hasSize(batch.baseOffset() == 0 ? 1 : 2);
        records.addAll(batch.records());
      }
      assertThat(batches.problem()).isEmpty();
    }
    assertThat(records.get(0).offset()).isEqualTo(19);
    assertThat(records.get(records.size() - 1).offset()).isEqualTo(40);
    assertThat(records.get(1).record().key().toUtf8()).isEqualTo("k-r9-1");
    assertThat(records.get(1).sizeBytes()).isPositive();
  }

  @Test
  void verifyReportsNothingForAnIntactLog() {
    write();
    VerifyReport report = LogInspector.verify(dir);
    assertThat(report.problems()).isEmpty();
    assertThat(report.batchesChecked()).isEqualTo(21);
  }

  @Test
  void verifyFindsCorruptBatchesAndBadIndexes() throws IOException {
    write();
    List<Long> bases = LogInspector.segmentBases(dir);
    DurableLogRecoveryTest.flipByte(SegmentNames.logFile(dir, bases.get(1)), 50);
    Files.delete(SegmentNames.timeIndexFile(dir, bases.get(0)));
    Files.write(SegmentNames.offsetIndexFile(dir, bases.get(2)), new byte[5]);
    Files.write(SegmentNames.offsetIndexFile(dir, 12345), new byte[16]);

    VerifyReport report = LogInspector.verify(dir);

    assertThat(report.ok()).isFalse();
    assertThat(report.problems())
        .extracting(LogProblem::kind)
        .contains(
            LogProblem.Kind.INDEX_MISSING,
            LogProblem.Kind.CORRUPT_BATCH,
            LogProblem.Kind.INDEX_INVALID,
            LogProblem.Kind.ORPHAN_INDEX);
    LogProblem corrupt =
        report.problems().stream()
            .filter(p -> p.kind() == LogProblem.Kind.CORRUPT_BATCH)
            .findFirst()
            .orElseThrow();
    assertThat(corrupt.file()).isEqualTo(SegmentNames.logFile(dir, bases.get(1)));
    assertThat(corrupt.position()).isZero();

    try (BatchIterator batches = LogInspector.dump(dir, bases.get(1))) {
      while (batches.hasNext()) {
        batches.next();
      }
      assertThat(batches.problem()).isPresent();
    }
  }
}
