package dev.felix.storage.log;

import static dev.felix.storage.log.LogTestRecords.batch;
import static dev.felix.storage.log.LogTestRecords.labels;
import static dev.felix.storage.log.LogTestRecords.readAll;
import static dev.felix.storage.log.LogTestRecords.record;
import static dev.felix.storage.log.LogTestRecords.size;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.felix.error.ErrorCode;
import dev.felix.error.LimitException;
import dev.felix.storage.time.ManualClock;
import dev.felix.wire.message.RecordData;
import org.junit.jupiter.api.Test;

/** Memory logs sharing one broker-wide budget: growth is admitted, eviction pays its own way. */
class MemoryBudgetTest {
  private final ManualClock clock = new ManualClock(1_000_000);
  private final RecordData record = record("r", 100, 0);
  private final int recordBytes = size(record);

  /** A log bounded at {@code records} records of this test's size, sharing {@code budget}. */
  private MemoryLog log(MemoryBudget budget, int records) {
    return new MemoryLog(
        new MemoryLogConfig((long) records * recordBytes, 1000, 4096), clock, budget);
  }

  /** A log below its own bound (10 records) holding the three records a test budget allows. */
  private MemoryLog spendAll(MemoryBudget budget) {
    MemoryLog log = log(budget, 10);
    log.append(batch(record, record, record));
    return log;
  }

  @Test
  void everyLogsRecordBytesCountAgainstTheBudgetAndEvictionAndCloseGiveThemBack() {
    MemoryBudget budget = new MemoryBudget(1 << 20);
    MemoryLog first = log(budget, 4);
    MemoryLog second = log(budget, 4);
    first.append(batch(record, record, record));
    second.append(batch(record));
    assertThat(budget.usedBytes()).isEqualTo(4L * recordBytes);

    first.append(batch(record, record)); // at its bound of 4: evicts one, holds 4
    assertThat(first.retainedBytes()).isEqualTo(4L * recordBytes);
    assertThat(budget.usedBytes()).isEqualTo(5L * recordBytes);

    first.close();
    assertThat(budget.usedBytes()).isEqualTo(recordBytes);
    second.close();
    assertThat(budget.usedBytes()).isZero();
  }

  @Test
  void growthPastASpentBudgetIsRefusedTypedAndCountedWithNothingAppended() {
    MemoryBudget budget = new MemoryBudget(3L * recordBytes);
    MemoryLog full = spendAll(budget);
    MemoryLog fresh = log(budget, 10);

    assertThatThrownBy(() -> fresh.checkAppend(1, recordBytes))
        .isInstanceOf(LimitException.class)
        .satisfies(e -> assertThat(((LimitException) e).code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED))
        .hasMessageContaining("FELIX_STREAMS_MEMORY_MAX_BYTES");
    assertThatThrownBy(() -> full.checkAppend(1, recordBytes))
        .as("a log below its own bound may not grow either")
        .isInstanceOf(LimitException.class);
    assertThat(budget.refusals()).isEqualTo(2);
    assertThat(fresh.endOffset()).isZero();
    assertThat(budget.usedBytes()).isEqualTo(3L * recordBytes);
  }

  @Test
  void aLogAtItsOwnBoundKeepsAppendingWhenTheBudgetIsSpentBecauseItsEvictionPays() {
    MemoryBudget budget = new MemoryBudget(3L * recordBytes);
    MemoryLog atBound = log(budget, 3);
    atBound.append(batch(record, record, record));

    for (int i = 0; i < 10; i++) {
      RecordData next = record(String.valueOf((char) ('a' + i)), 100, 0); // same size as "r"
      atBound.checkAppend(1, size(next));
      atBound.append(batch(next));
    }
    assertThat(labels(readAll(atBound, atBound.startOffset(), 10))).containsExactly("h", "i", "j");
    assertThat(budget.usedBytes()).isEqualTo(3L * recordBytes);
    assertThat(budget.refusals()).isZero();
  }

  @Test
  void memoryGivenBackByOneLogLetsAnotherGrow() {
    MemoryBudget budget = new MemoryBudget(3L * recordBytes);
    MemoryLog first = spendAll(budget);
    MemoryLog second = log(budget, 10);
    assertThatThrownBy(() -> second.checkAppend(1, recordBytes)).isInstanceOf(LimitException.class);

    first.close(); // e.g. its stream was deleted
    second.checkAppend(1, recordBytes);
    second.append(batch(record));
    assertThat(budget.usedBytes()).isEqualTo(recordBytes);
  }
}
