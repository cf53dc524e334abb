package dev.felix.storage.durable;

import static dev.felix.storage.durable.DurableTestRecords.batch;
import static dev.felix.storage.durable.DurableTestRecords.labels;
import static dev.felix.storage.durable.DurableTestRecords.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.storage.log.Appended;
import dev.felix.storage.log.ProducerStamp;
import dev.felix.storage.log.StampedBatch;
import dev.felix.storage.time.ManualClock;
import dev.felix.wire.message.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Format 2 batches: producer stamps stored with the records and found again at open. */
class DurableLogProducerStampTest {
  @TempDir Path dir;
  private final ManualClock clock = new ManualClock(1_000_000);
  private final FlushScheduler scheduler = new FlushScheduler("test-flusher", clock);

  private static final DurableLogConfig CONFIG =
      DurableLogConfig.DEFAULTS
          .withSegmentBytes(2048)
          .withIndexIntervalBytes(100)
          .withFsyncPolicy(FsyncPolicy.NEVER);

  @AfterEach
  void stopScheduler() {
    scheduler.close();
  }

  private DurableLog open(DurableLogConfig config) {
    return DurableLog.open(dir, config, clock, scheduler);
  }

  @Test
  void stampedAndPlainBatchesReadBackAlikeAndStampsAreRecoveredInOffsetOrder() {
    try (DurableLog log = open(CONFIG)) {
      log.append(batch("plain-", 2, 10));
      Appended first = log.append(batch("p7a-", 3, 10), new ProducerStamp(7, 0, 2));
      log.append(batch("p8-", 2, 10), new ProducerStamp(8, 10, 15));
      log.append(batch("p7b-", 1, 10), new ProducerStamp(7, 3, 3));
      assertThat(first.baseOffset()).isEqualTo(2);
      assertThat(log.takeRecoveredProducers()).isEmpty();
    }
    try (DurableLog log = open(CONFIG)) {
      assertThat(labels(readAll(log, 0, 100)))
          .containsExactly(
              "plain-0", "plain-1", "p7a-0", "p7a-1", "p7a-2", "p8-0", "p8-1", "p7b-0");
      assertThat(log.recoveryReport().clean()).isTrue();
      assertThat(log.takeRecoveredProducers())
          .containsExactly(
              new StampedBatch(new ProducerStamp(7, 0, 2), 2, 3),
              new StampedBatch(new ProducerStamp(8, 10, 15), 5, 2),
              new StampedBatch(new ProducerStamp(7, 3, 3), 7, 1));
      assertThat(log.takeRecoveredProducers()).as("handed over once").isEmpty();
      // reads in the middle of a stamped batch skip its longer header correctly
      assertThat(labels(readAll(log, 3, 2))).containsExactly("p7a-1", "p7a-2");
    }
  }

  @ParameterizedTest
  @EnumSource(SealedSegmentCheck.class)
  void stampsSurviveRollsAndOnlyTheLastWindowPerProducerIsKept(SealedSegmentCheck check) {
    int batches = RecoveredProducers.BATCHES_PER_PRODUCER + 8;
    try (DurableLog log = open(CONFIG)) {
      for (int i = 0; i < batches; i++) {
        log.append(batch("b" + i + "-", 2, 30), new ProducerStamp(42, 2L * i, 2L * i + 1));
      }
      assertThat(log.metrics().segments()).isGreaterThan(2);
    }
    try (DurableLog log = open(CONFIG.withSealedSegmentCheck(check))) {
      List<StampedBatch> recovered = log.takeRecoveredProducers();
      // EAGER reads every segment; LAZY reads the active one and the tails of sealed ones, which
      // always include the newest batches, the ones a producer may still retry.
      assertThat(recovered).hasSizeLessThanOrEqualTo(RecoveredProducers.BATCHES_PER_PRODUCER);
      assertThat(recovered.get(recovered.size() - 1))
          .isEqualTo(
              new StampedBatch(
                  new ProducerStamp(42, 2L * (batches - 1), 2L * batches - 1),
                  2L * (batches - 1),
                  2));
      if (check == SealedSegmentCheck.EAGER) {
        assertThat(recovered).hasSize(RecoveredProducers.BATCHES_PER_PRODUCER);
        assertThat(recovered.get(0).stamp().firstSequence())
            .isEqualTo(2L * (batches - RecoveredProducers.BATCHES_PER_PRODUCER));
      }
      List<Long> bases = new ArrayList<>();
      recovered.forEach(b -> bases.add(b.baseOffset()));
      assertThat(bases).isSorted().doesNotHaveDuplicates();
    }
  }

  @Test
  void aTornStampedTailIsCutAndItsStampForgotten() throws IOException {
    try (DurableLog log = open(CONFIG)) {
      log.append(batch("a-", 2, 10), new ProducerStamp(5, 0, 1));
      log.append(batch("b-", 2, 10), new ProducerStamp(5, 2, 3));
    }
    Path segment = SegmentNames.logFile(dir, 0);
    try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      channel.truncate(Files.size(segment) - 3);
    }
    try (DurableLog log = open(CONFIG)) {
      assertThat(log.endOffset()).isEqualTo(2);
      assertThat(log.recoveryReport().truncatedBytes()).isPositive();
      assertThat(log.takeRecoveredProducers())
          .containsExactly(new StampedBatch(new ProducerStamp(5, 0, 1), 0, 2));
    }
  }

  @Test
  void aDamagedStampFailsTheCrcAndIsTruncatedWithItsBatch() throws IOException {
    try (DurableLog log = open(CONFIG)) {
      log.append(batch("a-", 1, 10), new ProducerStamp(5, 0, 0));
      log.append(batch("b-", 1, 10), new ProducerStamp(5, 1, 1));
    }
    Path segment = SegmentNames.logFile(dir, 0);
    long second;
    try (FileChannel channel =
        FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer length = ByteBuffer.allocate(4);
      channel.read(length, 0);
      second = length.getInt(0) + 4L;
      // producer id 5 -> 4: the CRC covers the stamp
      channel.write(ByteBuffer.wrap(new byte[] {4}), second + BatchFormat.PRODUCER_ID_OFFSET + 7);
    }
    try (DurableLog log = open(CONFIG)) {
      assertThat(log.endOffset()).isEqualTo(1);
      assertThat(log.recoveryReport().truncationReason()).contains("CRC32C mismatch");
      assertThat(log.takeRecoveredProducers()).hasSize(1);
    }
  }

  @Test
  void theViewRejectsImpossibleStampsEvenWithAValidCrc() {
    byte[] good = stampedBatch(new ProducerStamp(9, 4, 5));
    BatchView view = new BatchView();
    assertThat(view.parse(ByteBuffer.wrap(good), 0, good.length, true))
        .isEqualTo(BatchView.Status.OK);
    assertThat(view.headerBytes()).isEqualTo(BatchFormat.HEADER_BYTES_V2);
    assertThat(view.producerId()).isEqualTo(9);
    assertThat(view.firstSequence()).isEqualTo(4);
    assertThat(view.lastSequence()).isEqualTo(5);

    for (long[] bad : new long[][] {{0, 4, 5}, {9, -1, 5}, {9, 6, 5}}) {
      ByteBuffer buffer = ByteBuffer.wrap(stampedBatch(new ProducerStamp(9, 4, 5)));
      buffer.putLong(BatchFormat.PRODUCER_ID_OFFSET, bad[0]);
      buffer.putLong(BatchFormat.FIRST_SEQUENCE_OFFSET, bad[1]);
      buffer.putLong(BatchFormat.LAST_SEQUENCE_OFFSET, bad[2]);
      buffer.putInt(
          BatchFormat.CRC_OFFSET,
          BatchFormat.crc(buffer, BatchFormat.CRC_START, buffer.capacity(), new CRC32C()));
      assertThat(view.parse(buffer, 0, buffer.capacity(), true))
          .isEqualTo(BatchView.Status.BAD_PRODUCER);
    }

    // a format 2 length too short to hold the stamp and one record
    ByteBuffer shortBatch = ByteBuffer.wrap(stampedBatch(new ProducerStamp(9, 4, 5)));
    shortBatch.putInt(0, BatchFormat.HEADER_BYTES_V2 - 4 + 10);
    assertThat(view.parse(shortBatch, 0, shortBatch.capacity(), true))
        .isEqualTo(BatchView.Status.BAD_LENGTH);
  }

  @Test
  void dumpShowsTheStamp() {
    try (DurableLog log = open(CONFIG)) {
      log.append(batch("a-", 1, 10));
      log.append(batch("b-", 1, 10), new ProducerStamp(3, 8, 8));
    }
    try (BatchIterator batches = LogInspector.dump(dir, 0)) {
      assertThat(batches.next().producer()).isNull();
      assertThat(batches.next().producer()).isEqualTo(new ProducerStamp(3, 8, 8));
      assertThat(batches.hasNext()).isFalse();
    }
  }

  /** One valid format 2 batch of two records at offset 7. */
  static byte[] stampedBatch(ProducerStamp stamp) {
    RecordBatch records =
        RecordBatch.of(List.of(DurableTestRecords.record("a"), DurableTestRecords.record("b")));
    int header = BatchFormat.HEADER_BYTES_V2;
    ByteBuffer buffer = ByteBuffer.allocate(header + records.sizeBytes());
    buffer.put(header, records.bytes(), 0, records.sizeBytes());
    buffer.putLong(header + 9, 10);
    int second = header + 4 + buffer.getInt(header);
    buffer.putInt(second + 5, 1);
    buffer.putLong(second + 9, 20);
    BatchFormat.writeHeader(buffer, 0, records.sizeBytes(), 7, 2, 20, stamp, new CRC32C());
    return buffer.array();
  }
}
