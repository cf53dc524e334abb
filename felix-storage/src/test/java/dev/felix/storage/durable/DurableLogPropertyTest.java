package dev.felix.storage.durable;

import static dev.felix.storage.durable.DurableTestRecords.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.storage.time.ManualClock;
import dev.felix.wire.message.RecordBatch;
import dev.felix.wire.message.RecordData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Model-based check of {@link DurableLog}, like {@code MemoryLogPropertyTest}: random appends,
 * reopens and retention against a plain list; after every step the offsets, and at the end every
 * read and time lookup, must agree with the model.
 */
class DurableLogPropertyTest {

  @Property(tries = 60)
  void logMatchesAListModel(
      @ForAll @Size(min = 1, max = 50) List<@IntRange(min = 0, max = 7) Integer> steps,
      @ForAll @IntRange(min = 0, max = 200) int payloadSeed,
      @ForAll @IntRange(min = 200, max = 1500) int segmentBytes,
      @ForAll @IntRange(min = 0, max = 400) int indexIntervalBytes)
      throws IOException {
    Path dir = Files.createTempDirectory("durable-property");
    ManualClock clock = new ManualClock(5_000);
    DurableLogConfig config =
        DurableLogConfig.DEFAULTS
            .withSegmentBytes(segmentBytes)
            .withIndexIntervalBytes(indexIntervalBytes)
            .withFsyncPolicy(FsyncPolicy.NEVER)
            .withRetentionBytes(segmentBytes * 4L);
    List<RecordData> model = new ArrayList<>();
    List<Long> times = new ArrayList<>();
    int serial = 0;
    try (FlushScheduler scheduler = new FlushScheduler("property-flusher", clock)) {
      DurableLog log = DurableLog.open(dir, config, clock, scheduler);
      try {
        for (int step : steps) {
          if (step == 0) {
            log.close();
            log = DurableLog.open(dir, config, clock, scheduler);
            assertThat(log.recoveryReport().truncatedBytes()).isZero();
          } else {
            List<RecordData> batch = new ArrayList<>();
            for (int i = 0; i < step; i++) {
              int payload = (payloadSeed * 31 + serial * 17) % 90;
              long timestamp = serial % 4 == 3 ? 4_000 + (serial * 37L) % 3_000 : 0;
              batch.add(record("r" + serial++, payload, timestamp));
            }
            long base = log.append(RecordBatch.of(batch)).baseOffset();
            assertThat(base).isEqualTo(model.size());
            for (RecordData record : batch) {
              long time = record.timestampMs() == 0 ? clock.epochMillis() : record.timestampMs();
              model.add(new RecordData(record.key(), record.headers(), time, record.payload()));
              times.add(time);
            }
          }
          assertThat(log.endOffset()).isEqualTo(model.size());
          assertThat(log.startOffset()).isBetween(0L, (long) model.size());
          clock.advanceMillis(serial % 3);
        }
        long start = log.startOffset();
        long end = log.endOffset();
        for (long from = start; from <= end; from += 3) {
          List<RecordData> read = DurableTestRecords.readAll(log, from, 7);
          assertThat(read).isEqualTo(model.subList((int) from, (int) Math.min(end, from + 7)));
        }
        for (long t = 3_990; t < 7_100; t += 97) {
          assertThat(log.offsetForTimestamp(t)).isEqualTo(expectedTimeOffset(times, start, t));
        }
      } finally {
        log.close();
      }
      assertThat(LogInspector.verify(dir, indexIntervalBytes).problems()).isEmpty();
    } finally {
      deleteTree(dir);
    }
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

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }
}
