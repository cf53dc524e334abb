package dev.felix.storage.durable;

import static dev.felix.storage.durable.DurableTestRecords.batch;
import static dev.felix.storage.durable.DurableTestRecords.labels;
import static dev.felix.storage.durable.DurableTestRecords.readAll;
import static dev.felix.storage.durable.DurableTestRecords.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.error.LimitException;
import dev.felix.error.NotFoundException;
import dev.felix.error.StorageException;
import dev.felix.error.UnavailableException;
import dev.felix.storage.log.Appended;
import dev.felix.storage.time.ManualClock;
import dev.felix.wire.message.RecordData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableLogTest {
  @TempDir Path dir;
  private final ManualClock clock = new ManualClock(1_000_000);
  private final FlushScheduler scheduler = new FlushScheduler("test-flusher", clock);

  private static final DurableLogConfig SMALL =
      DurableLogConfig.DEFAULTS
          .withSegmentBytes(1024)
          .withIndexIntervalBytes(128)
          .withFsyncPolicy(FsyncPolicy.NEVER);

  @AfterEach
  void stopScheduler() {
    scheduler.close();
  }

  private DurableLog open(DurableLogConfig config) {
    return DurableLog.open(dir, config, clock, scheduler);
  }

  @Test
  void appendsAssignDenseOffsetsAndReadsReturnEventRuns() {
    try (DurableLog log = open(SMALL)) {
      Appended first = log.append(batch(record("a"), record("b")));
      Appended second = log.append(batch(record("c")));

      assertThat(first.baseOffset()).isZero();
      assertThat(second.baseOffset()).isEqualTo(2);
      assertThat(log.endOffset()).isEqualTo(3);
      assertThat(labels(readAll(log, 0, 10))).containsExactly("a", "b", "c");
      assertThat(labels(readAll(log, 1, 10))).containsExactly("b", "c");
      assertThat(readAll(log, 3, 10)).isEmpty();
      assertThat(log.metrics().appendedRecords()).isEqualTo(3);
      assertThat(log.metrics().retainedRecords()).isEqualTo(3);
    }
  }

  @Test
  void keepsRecordsByteForByteAndStampsOnlyMissingTimestamps() {
    try (DurableLog log = open(SMALL)) {
      RecordData given = record("given", 300, 42);
      log.append(batch(given, record("now", 4, 0)));
      List<RecordData> read = readAll(log, 0, 10);
      assertThat(read.get(0)).isEqualTo(given);
      assertThat(read.get(1).timestampMs()).isEqualTo(1_000_000);
    }
  }

  @Test
  void readStopsAtEveryLimit() {
    try (DurableLog log = open(SMALL)) {
      for (int i = 0; i < 10; i++) {
        log.append(batch(record("r" + i, 20, 0)));
      }
      int recordBytes = DurableTestRecords.batch(record("r0", 20, 0)).sizeBytes();
      ByteBuffer out = ByteBuffer.allocate(4096);
      assertThat(log.read(2, 3, Integer.MAX_VALUE, out)).isEqualTo(3);
      assertThat(log.read(0, 100, recordBytes * 2 + 1, out.clear())).isEqualTo(2);
      assertThat(log.read(0, 100, 1, out.clear())).as("first record always").isEqualTo(1);
      assertThat(log.read(0, 100, Integer.MAX_VALUE, ByteBuffer.allocate(recordBytes - 1)))
          .isZero();
      assertThat(log.read(0, 100, Integer.MAX_VALUE, ByteBuffer.allocate(recordBytes * 4)))
          .isEqualTo(4);
    }
  }

  @Test
  void rollsBySizeIntoSegmentsNamedByBaseOffset() throws IOException {
    try (DurableLog log = open(SMALL)) {
      for (int i = 0; i < 40; i++) {
        log.append(batch("b" + i + "-", 2, 30));
      }
      assertThat(log.metrics().segments()).isGreaterThan(3);
      assertThat(log.metrics().rolls()).isEqualTo(log.metrics().segments() - 1);
      assertThat(labels(readAll(log, 0, 1000))).hasSize(80);
      assertThat(labels(readAll(log, 57, 3))).containsExactly("b28-1", "b29-0", "b29-1");
    }
    try (Stream<Path> files = Files.list(dir)) {
      List<String> logs =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".log"))
              .sorted()
              .toList();
      assertThat(logs.get(0)).isEqualTo("00000000000000000000.log");
      for (String name : logs) {
        long base = Long.parseLong(name.substring(0, 20));
        assertThat(Files.size(dir.resolve(name))).isLessThanOrEqualTo(1024);
        assertThat(Files.exists(dir.resolve(SegmentNames.baseName(base) + ".index"))).isTrue();
        assertThat(Files.exists(dir.resolve(SegmentNames.baseName(base) + ".timeindex"))).isTrue();
      }
    }
  }

  @Test
  void rollsByAgeOnTheNextAppend() {
    DurableLogConfig config = SMALL.withSegmentBytes(1 << 20).withSegmentMaxAgeMs(60_000);
    try (DurableLog log = open(config)) {
      log.append(batch(record("a")));
      clock.advanceMillis(59_999);
      log.append(batch(record("b")));
      assertThat(log.metrics().segments()).isEqualTo(1);
      clock.advanceMillis(1);
      log.append(batch(record("c")));
      assertThat(log.metrics().segments()).isEqualTo(2);
      assertThat(labels(readAll(log, 0, 10))).containsExactly("a", "b", "c");
    }
  }

  @Test
  void aBatchLargerThanASegmentGetsOneOfItsOwn() {
    try (DurableLog log = open(SMALL)) {
      log.append(batch(record("small")));
      log.append(batch(record("huge", 3000, 0)));
      log.append(batch(record("after")));
      assertThat(labels(readAll(log, 0, 10))).containsExactly("small", "huge", "after");
      assertThat(log.metrics().segments()).isEqualTo(3);
    }
  }

  @Test
  void findsOffsetsByTimestampThroughTheTimeIndex() {
    try (DurableLog log = open(SMALL)) {
      for (int i = 0; i < 60; i++) {
        log.append(batch(record("t" + i, 20, 0)));
        clock.advanceMillis(10);
      }
      // record i has time 1_000_000 + 10 i
      assertThat(log.offsetForTimestamp(0)).isZero();
      assertThat(log.offsetForTimestamp(1_000_000)).isZero();
      assertThat(log.offsetForTimestamp(1_000_001)).isEqualTo(1);
      assertThat(log.offsetForTimestamp(1_000_250)).isEqualTo(25);
      assertThat(log.offsetForTimestamp(1_000_590)).isEqualTo(59);
      assertThat(log.offsetForTimestamp(1_000_591)).isEqualTo(60);
    }
  }

  @Test
  void outOfOrderTimestampsUseTheRunningMaximum() {
    try (DurableLog log = open(SMALL)) {
      log.append(batch(record("a", 4, 100), record("b", 4, 500), record("c", 4, 200)));
      log.append(batch(record("d", 4, 300), record("e", 4, 600)));
      assertThat(log.offsetForTimestamp(200)).isEqualTo(1);
      assertThat(log.offsetForTimestamp(550)).isEqualTo(4);
      assertThat(log.offsetForTimestamp(601)).isEqualTo(5);
    }
  }

  @Test
  void reopenKeepsOffsetsTimestampsAndContent() {
    List<RecordData> before;
    try (DurableLog log = open(SMALL)) {
      for (int i = 0; i < 30; i++) {
        log.append(batch(record("x" + i, i * 7, 0)));
        clock.advanceMillis(3);
      }
      before = readAll(log, 0, 100);
    }
    try (DurableLog log = open(SMALL)) {
      assertThat(log.recoveryReport().clean()).isTrue();
      assertThat(log.startOffset()).isZero();
      assertThat(log.endOffset()).isEqualTo(30);
      assertThat(readAll(log, 0, 100)).isEqualTo(before);
      assertThat(log.offsetForTimestamp(1_000_030)).isEqualTo(10);
      assertThat(log.append(batch(record("next"))).baseOffset()).isEqualTo(30);
    }
  }

  @Test
  void rejectsReadsOutsideTheLogAndCallsAfterClose() {
    DurableLog log = open(SMALL);
    log.append(batch(record("a")));
    ByteBuffer out = ByteBuffer.allocate(100);
    assertThatThrownBy(() -> log.read(2, 1, 100, out))
        .isInstanceOf(NotFoundException.class)
        .extracting(e -> ((FelixException) e).code())
        .isEqualTo(ErrorCode.OFFSET_OUT_OF_RANGE);
    log.close();
    assertThatThrownBy(() -> log.read(0, 1, 100, out)).isInstanceOf(UnavailableException.class);
    assertThatThrownBy(() -> log.append(batch(record("b"))))
        .isInstanceOf(UnavailableException.class);
  }

  @Test
  void checkAppendRefusesBatchesAboveTheFormatLimit() {
    try (DurableLog log = open(SMALL)) {
      assertThatThrownBy(() -> log.checkAppend(1, BatchFormat.MAX_RECORD_BYTES + 1L))
          .isInstanceOf(LimitException.class)
          .extracting(e -> ((FelixException) e).code())
          .isEqualTo(ErrorCode.MESSAGE_TOO_LARGE);
      log.checkAppend(1, BatchFormat.MAX_RECORD_BYTES);
      assertThat(log.startOffsetAfterAppend(1000, 1 << 20)).isEqualTo(log.startOffset());
    }
  }

  @Test
  void aDirectoryIsOpenedByOneLogAtATime() {
    try (DurableLog log = open(SMALL)) {
      assertThat(log.directory()).isEqualTo(dir);
      assertThatThrownBy(() -> open(SMALL))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("already open");
    }
    open(SMALL).close();
  }
}
