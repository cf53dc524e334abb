package dev.felix.storage.log;

import static dev.felix.storage.log.LogTestRecords.record;
import static dev.felix.storage.log.LogTestRecords.size;
import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.storage.time.ManualClock;
import dev.felix.wire.message.RecordBatch;
import dev.felix.wire.message.RecordData;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Model-based check of {@link MemoryLog}: after every append the log must hold exactly the longest
 * suffix of everything appended that fits both bounds, and reads and time lookups must agree with a
 * plain list.
 */
class MemoryLogPropertyTest {

  @Property(tries = 200)
  void logMatchesAListModel(
      @ForAll @Size(min = 1, max = 60) List<@IntRange(min = 1, max = 6) Integer> batchSizes,
      @ForAll @IntRange(min = 0, max = 200) int payloadSeed,
      @ForAll @IntRange(min = 3, max = 40) int maxRecords,
      @ForAll @IntRange(min = 400, max = 4000) int maxBytes,
      @ForAll @IntRange(min = 64, max = 700) int chunkBytes) {
    ManualClock clock = new ManualClock(5_000);
    MemoryLog log = new MemoryLog(new MemoryLogConfig(maxBytes, maxRecords, chunkBytes), clock);
    List<RecordData> model = new ArrayList<>();
    List<Long> times = new ArrayList<>();
    int serial = 0;
    for (int batchSize : batchSizes) {
      List<RecordData> batch = new ArrayList<>();
      long batchBytes = 0;
      for (int i = 0; i < batchSize; i++) {
        int payload = (payloadSeed * 31 + serial * 17) % 90;
        long timestamp = serial % 4 == 3 ? 4_000 + (serial * 37L) % 3_000 : 0;
        RecordData record = record("r" + serial++, payload, timestamp);
        batch.add(record);
        batchBytes += size(record);
      }
      if (batchSize > maxRecords || batchBytes > maxBytes) {
        continue;
      }
      long predicted = log.startOffsetAfterAppend(batchSize, batchBytes);
      Appended appended = log.append(RecordBatch.of(batch));
      assertThat(appended.baseOffset()).isEqualTo(model.size());
      for (RecordData record : batch) {
        long time = record.timestampMs() == 0 ? clock.epochMillis() : record.timestampMs();
        model.add(new RecordData(record.key(), record.headers(), time, record.payload()));
        times.add(time);
      }
      assertThat(log.startOffset()).isEqualTo(predicted).isEqualTo(expectedStart(model, log));
      assertThat(log.endOffset()).isEqualTo(model.size());
      clock.advanceMillis(serial % 3);
    }
    long start = log.startOffset();
    long end = log.endOffset();
    for (long from = start; from <= end; from += 3) {
      List<RecordData> read = LogTestRecords.readAll(log, from, 7);
      assertThat(read).isEqualTo(model.subList((int) from, (int) Math.min(end, from + 7)));
    }
    for (long t = 3_990; t < 7_100; t += 97) {
      assertThat(log.offsetForTimestamp(t)).isEqualTo(expectedTimeOffset(times, start, t));
    }
  }

  /** The longest suffix of the model within both bounds starts here. */
  private static long expectedStart(List<RecordData> model, MemoryLog log) {
    long bytes = 0;
    int start = model.size();
    while (start > 0) {
      long next = bytes + size(model.get(start - 1));
      if (model.size() - (start - 1) > log.config().maxRecords()
          || next > log.config().maxBytes()) {
        break;
      }
      bytes = next;
      start--;
    }
    return start;
  }

  /** First offset whose running maximum timestamp (over everything appended) reaches t. */
  private static long expectedTimeOffset(List<Long> times, long start, long t) {
    long runningMax = Long.MIN_VALUE;
    for (int i = 0; i < times.size(); i++) {
      runningMax = Math.max(runningMax, times.get(i));
      if (runningMax >= t) {
        return Math.max(i, start);
      }
    }
    return times.size();
  }
}
