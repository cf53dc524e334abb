package dev.felix.storage.log;

import static dev.felix.storage.log.LogTestRecords.batch;
import static dev.felix.storage.log.LogTestRecords.labels;
import static dev.felix.storage.log.LogTestRecords.readAll;
import static dev.felix.storage.log.LogTestRecords.record;
import static dev.felix.storage.log.LogTestRecords.size;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.error.LimitException;
import dev.felix.error.NotFoundException;
import dev.felix.error.UnavailableException;
import dev.felix.storage.time.ManualClock;
import dev.felix.wire.WireLimits;
import dev.felix.wire.message.RecordBatch;
import dev.felix.wire.message.RecordCursor;
import dev.felix.wire.message.RecordData;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryLogTest {
  private final ManualClock clock = new ManualClock(1_000_000);

  private MemoryLog log(long maxBytes, long maxRecords, int chunkBytes) {
    // The configured chunk sizes exactly, whatever collector runs the tests (ChunkSizingTest).
    return new MemoryLog(
        new MemoryLogConfig(maxBytes, maxRecords, chunkBytes),
        clock,
        MemoryBudget.unbounded(),
        new ChunkSizing(0));
  }

  @Test
  void appendsAssignDenseOffsetsAndReadsReturnEventRuns() {
    MemoryLog log = log(1 << 20, 1000, 256);
    Appended first = log.append(batch(record("a"), record("b")));
    Appended second = log.append(batch(record("c")));

    assertThat(first.baseOffset()).isZero();
    assertThat(first.recordCount()).isEqualTo(2);
    assertThat(first.isDurable()).isTrue();
    assertThat(second.baseOffset()).isEqualTo(2);
    assertThat(log.startOffset()).isZero();
    assertThat(log.endOffset()).isEqualTo(3);
    assertThat(labels(readAll(log, 0, 10))).containsExactly("a", "b", "c");
    assertThat(labels(readAll(log, 1, 10))).containsExactly("b", "c");
    assertThat(readAll(log, 3, 10)).isEmpty();
  }

  @Test
  void aQuietLogHoldsOneSmallChunkAndABusyOneGrowsToTheStandardSize() {
    MemoryLog log = log(64L << 20, 1_000_000, 1 << 20);
    log.append(batch(record("first")));
    // Thousands of quiet streams must not cost a full 1 MiB chunk each (BENCH.md W6).
    assertThat(log.chunkCapacityBytes()).isEqualTo(MemoryLog.FIRST_CHUNK_BYTES);

    for (int i = 0; i < 20_000; i++) {
      log.append(batch(record("r" + i, 100, 0)));
    }
    long retained = log.retainedBytes();
    // Doubling from 4 KiB: the held capacity stays within about twice what is retained.
    assertThat(log.chunkCapacityBytes()).isBetween(retained, 2 * retained + (1 << 20));
    assertThat(labels(readAll(log, 0, 2))).containsExactly("first", "r0");
    assertThat(labels(readAll(log, 20_000, 1))).containsExactly("r19999");
  }

  @Test
  void readKeepsKeysHeadersAndPayloadsByteForByte() {
    MemoryLog log = log(1 << 20, 1000, 4096);
    RecordData original = record("x", 300, 42);
    log.append(batch(original));
    assertThat(readAll(log, 0, 1)).containsExactly(original);
  }

  @Test
  void brokerAssignsTimestampsOnlyWhereTheRecordHasNone() {
    MemoryLog log = log(1 << 20, 1000, 4096);
    log.append(batch(record("now", 4, 0), record("given", 4, 7)));
    clock.advanceMillis(5);
    log.append(batch(record("later", 4, 0)));

    List<RecordData> records = readAll(log, 0, 10);
    assertThat(records.get(0).timestampMs()).isEqualTo(1_000_000);
    assertThat(records.get(1).timestampMs()).isEqualTo(7);
    assertThat(records.get(2).timestampMs()).isEqualTo(1_000_005);
  }

  @Test
  void readRewritesOffsetDeltasAcrossChunks() {
    MemoryLog log = log(1 << 20, 1000, 128);
    for (int i = 0; i < 40; i++) {
      log.append(batch(record("r" + i), record("s" + i)));
    }
    ByteBuffer out = ByteBuffer.allocate(1 << 16);
    int count = log.read(17, 50, Integer.MAX_VALUE, out);
    out.flip();
    assertThat(count).isEqualTo(50);
    RecordCursor cursor =
        RecordBatch.wrap(out, count, RecordBatch.Kind.EVENT, WireLimits.DEFAULTS).cursor();
    int expectedDelta = 0;
    while (cursor.next()) {
      assertThat(cursor.offsetDelta()).isEqualTo(expectedDelta++);
    }
    assertThat(labels(readAll(log, 17, 3))).containsExactly("s8", "r9", "s9");
  }

  @Test
  void readStopsAtMaxBytesButAlwaysReturnsTheFirstRecord() {
    MemoryLog log = log(1 << 20, 1000, 4096);
    RecordData big = record("big", 500, 0);
    log.append(batch(big, record("a"), record("b")));
    ByteBuffer out = ByteBuffer.allocate(4096);

    assertThat(log.read(0, 10, 10, out)).isEqualTo(1);
    assertThat(out.position()).isEqualTo(size(big));

    out.clear();
    int twoSmall = size(record("a")) + size(record("b"));
    assertThat(log.read(1, 10, twoSmall, out)).isEqualTo(2);
    out.clear();
    assertThat(log.read(1, 10, twoSmall - 1, out)).isEqualTo(1);
    out.clear();
    assertThat(log.read(0, 2, Integer.MAX_VALUE, out)).isEqualTo(2);
  }

  @Test
  void readReturnsZeroWhenTheFirstRecordDoesNotFitTheBuffer() {
    MemoryLog log = log(1 << 20, 1000, 4096);
    log.append(batch(record("big", 500, 0)));
    ByteBuffer small = ByteBuffer.allocate(100);
    assertThat(log.read(0, 10, Integer.MAX_VALUE, small)).isZero();
    assertThat(small.position()).isZero();
  }

  @Test
  void evictsOldestRecordsToRespectTheRecordCount() {
    MemoryLog log = log(1 << 20, 10, 128);
    for (int i = 0; i < 25; i++) {
      log.append(batch(record("r" + i)));
    }
    assertThat(log.startOffset()).isEqualTo(15);
    assertThat(log.endOffset()).isEqualTo(25);
    assertThat(log.retainedRecords()).isEqualTo(10);
    assertThat(log.evictedRecords()).isEqualTo(15);
    assertThat(labels(readAll(log, 15, 100))).first().isEqualTo("r15");
    assertThat(readAll(log, 15, 100)).hasSize(10);
  }

  @Test
  void evictsOldestRecordsToRespectTheByteBound() {
    int recordSize = size(record("r00"));
    MemoryLog log = log(recordSize * 7L + 3, 1000, 64);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      log.append(batch(record(String.format("r%02d", i))));
      expected.add(String.format("r%02d", i));
    }
    assertThat(log.retainedRecords()).isEqualTo(7);
    assertThat(log.retainedBytes()).isEqualTo(recordSize * 7L);
    assertThat(log.evictedRecords()).isEqualTo(23);
    assertThat(log.evictedBytes()).isEqualTo(recordSize * 23L);
    assertThat(labels(readAll(log, log.startOffset(), 100))).isEqualTo(expected.subList(23, 30));
  }

  @Test
  void largeBatchEvictsWholeChunksAndGetsItsOwnChunk() {
    MemoryLog log = log(4096, 1000, 256);
    for (int i = 0; i < 50; i++) {
      log.append(batch(record("r" + i)));
    }
    RecordData big = record("big", 3000, 0);
    long predicted = log.startOffsetAfterAppend(1, size(big));
    log.append(batch(big));
    assertThat(log.startOffset()).isEqualTo(predicted);
    assertThat(log.retainedBytes()).isLessThanOrEqualTo(4096);
    assertThat(labels(readAll(log, log.endOffset() - 1, 1))).containsExactly("big");
  }

  @Test
  void startOffsetAfterAppendPredictsEvictionWithoutChangingTheLog() {
    MemoryLog log = log(1 << 20, 5, 128);
    for (int i = 0; i < 5; i++) {
      log.append(batch(record("r" + i)));
    }
    assertThat(log.startOffsetAfterAppend(2, 40)).isEqualTo(2);
    assertThat(log.startOffset()).isZero();
    assertThat(log.startOffsetAfterAppend(5, 40)).isEqualTo(5);
    log.append(batch(record("x"), record("y")));
    assertThat(log.startOffset()).isEqualTo(2);
  }

  @Test
  void batchBeyondTheBoundsIsRejectedWithoutChangingTheLog() {
    MemoryLog log = log(200, 3, 128);
    log.append(batch(record("a")));
    assertThatThrownBy(() -> log.append(batch(record("big", 300, 0))))
        .isInstanceOf(LimitException.class)
        .extracting(e -> ((FelixException) e).code())
        .isEqualTo(ErrorCode.MESSAGE_TOO_LARGE);
    assertThatThrownBy(() -> log.append(batch(record("1"), record("2"), record("3"), record("4"))))
        .isInstanceOf(LimitException.class);
    assertThat(log.endOffset()).isEqualTo(1);
    assertThat(log.startOffset()).isZero();
  }

  @Test
  void readOutsideTheRetainedRangeIsOffsetOutOfRange() {
    MemoryLog log = log(1 << 20, 3, 128);
    for (int i = 0; i < 6; i++) {
      log.append(batch(record("r" + i)));
    }
    ByteBuffer out = ByteBuffer.allocate(1024);
    assertThatThrownBy(() -> log.read(2, 1, 1024, out))
        .isInstanceOf(NotFoundException.class)
        .extracting(e -> ((FelixException) e).code())
        .isEqualTo(ErrorCode.OFFSET_OUT_OF_RANGE);
    assertThatThrownBy(() -> log.read(7, 1, 1024, out))
        .isInstanceOf(NotFoundException.class)
        .extracting(e -> ((FelixException) e).code())
        .isEqualTo(ErrorCode.OFFSET_OUT_OF_RANGE);
    assertThat(log.read(6, 1, 1024, out)).isZero();
  }

  @Test
  void timestampLookupFindsTheFirstRecordAtOrAfterTheTime() {
    MemoryLog log = log(1 << 20, 10_000, 256);
    for (int i = 0; i < 500; i++) {
      log.append(batch(record("r" + i)));
      clock.advanceMillis(i % 3 == 0 ? 2 : 0);
    }
    List<RecordData> all = readAll(log, 0, 1000);
    for (long t = 999_990; t < 1_000_000 + 400; t += 7) {
      long expected = all.size();
      for (int i = 0; i < all.size(); i++) {
        if (all.get(i).timestampMs() >= t) {
          expected = i;
          break;
        }
      }
      assertThat(log.offsetForTimestamp(t)).as("time %d", t).isEqualTo(expected);
    }
    assertThat(log.offsetForTimestamp(Long.MAX_VALUE)).isEqualTo(500);
  }

  @Test
  void timestampLookupNeverSkipsRecordsWithOutOfOrderTimestamps() {
    MemoryLog log = log(1 << 20, 10_000, 128);
    long[] times = {50, 10, 70, 20, 90, 30, 80};
    for (long time : times) {
      log.append(batch(record("t" + time, 4, time)));
    }
    for (long t = 0; t <= 100; t += 5) {
      long found = log.offsetForTimestamp(t);
      for (int i = 0; i < times.length; i++) {
        if (times[i] >= t) {
          assertThat(found).as("time %d", t).isLessThanOrEqualTo(i);
          break;
        }
      }
    }
    assertThat(log.offsetForTimestamp(60)).isEqualTo(2);
    assertThat(log.offsetForTimestamp(91)).isEqualTo(7);
  }

  @Test
  void timestampLookupIsClampedToTheRetainedStart() {
    MemoryLog log = log(1 << 20, 4, 128);
    for (int i = 0; i < 10; i++) {
      log.append(batch(record("r" + i)));
      clock.advanceMillis(10);
    }
    assertThat(log.offsetForTimestamp(0)).isEqualTo(6);
    assertThat(log.offsetForTimestamp(1_000_000 + 75)).isEqualTo(8);
  }

  @Test
  void closedLogRefusesWork() {
    MemoryLog log = log(1 << 20, 10, 128);
    log.append(batch(record("a")));
    log.close();
    assertThatThrownBy(() -> log.append(batch(record("b"))))
        .isInstanceOf(UnavailableException.class);
    assertThatThrownBy(() -> log.read(0, 1, 100, ByteBuffer.allocate(100)))
        .isInstanceOf(UnavailableException.class);
  }

  @Test
  void metricsCountAppendsAndEvictions() {
    MemoryLog log = log(1 << 20, 2, 128);
    log.append(batch(record("a"), record("b")));
    log.append(batch(record("c")));
    LogMetrics metrics = log.metrics();
    assertThat(metrics.appendedRecords()).isEqualTo(3);
    assertThat(metrics.appendedBytes()).isEqualTo(3L * size(record("a")));
    assertThat(metrics.evictedRecords()).isEqualTo(1);
    assertThat(metrics.retainedRecords()).isEqualTo(2);
    assertThat(metrics.startOffset()).isEqualTo(1);
    assertThat(metrics.endOffset()).isEqualTo(3);
  }
}
