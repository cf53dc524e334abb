package dev.felix.storage.durable;

import static dev.felix.storage.durable.DurableTestRecords.batch;
import static dev.felix.storage.durable.DurableTestRecords.labels;
import static dev.felix.storage.durable.DurableTestRecords.readAll;
import static dev.felix.storage.durable.DurableTestRecords.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.error.StorageException;
import dev.felix.storage.time.ManualClock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Torn tails, corrupt segments and damaged indexes, made by editing real files between opens. */
class DurableLogRecoveryTest {
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

  /** Writes {@code batches} batches of 3 records; returns the byte position of every batch. */
  private List<Long> write(int batches) {
    List<Long> positions = new ArrayList<>();
    try (DurableLog log = open(CONFIG)) {
      for (int i = 0; i < batches; i++) {
        positions.add(log.metrics().retainedBytes());
        log.append(batch("b" + i + "-", 3, 40));
        clock.advanceMillis(5);
      }
    }
    return positions;
  }

  private Path segment(long base) {
    return SegmentNames.logFile(dir, base);
  }

  enum TailDamage {
    TRUNCATED_BATCH,
    BAD_CRC,
    GARBAGE_AFTER_TAIL,
    ZERO_FILLED_TAIL
  }

  @ParameterizedTest
  @EnumSource(TailDamage.class)
  void damagedTailIsTruncatedAndTheLogContinues(TailDamage damage) throws IOException {
    List<Long> positions = write(5);
    Path file = segment(0);
    long size = Files.size(file);
    long lastBatch = positions.get(4);
    switch (damage) {
      case TRUNCATED_BATCH -> truncate(file, size - 7);
      case BAD_CRC -> flipByte(file, size - 3);
      case GARBAGE_AFTER_TAIL ->
          append(file, "not a batch at all".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      case ZERO_FILLED_TAIL -> append(file, new byte[4096]);
    }
    boolean lastLost = damage == TailDamage.TRUNCATED_BATCH || damage == TailDamage.BAD_CRC;
    long damagedSize = Files.size(file);
    long expectedCut = lastLost ? damagedSize - lastBatch : damagedSize - size;

    try (DurableLog log = open(CONFIG)) {
      RecoveryReport report = log.recoveryReport();
      long expectedEnd = lastLost ? 12 : 15;
      assertThat(log.endOffset()).isEqualTo(expectedEnd);
      assertThat(report.truncatedBytes()).isEqualTo(expectedCut);
      assertThat(Files.size(file)).isEqualTo(lastLost ? lastBatch : size);
      assertThat(report.truncationReason()).contains("00000000000000000000.log");
      if (lastLost) {
        assertThat(report.truncatedRecords()).isEqualTo(3);
      }
      assertThat(log.metrics().recoveryTruncatedBytes()).isEqualTo(report.truncatedBytes());
      assertThat(labels(readAll(log, 9, 3))).containsExactly("b3-0", "b3-1", "b3-2");

      assertThat(log.append(batch(record("new"))).baseOffset()).isEqualTo(expectedEnd);
    }
    try (DurableLog log = open(CONFIG)) {
      assertThat(log.recoveryReport().clean()).isTrue();
      assertThat(labels(readAll(log, log.endOffset() - 1, 1))).containsExactly("new");
    }
  }

  @Test
  void corruptSealedSegmentRefusesToOpenNamingFileAndPosition() throws IOException {
    List<Long> positions = write(40);
    try (DurableLog log = open(CONFIG)) {
      assertThat(log.metrics().segments()).isGreaterThan(2);
    }
    long position = positions.get(2);
    flipByte(segment(0), position + BatchFormat.HEADER_BYTES + 20);

    assertThatThrownBy(() -> open(CONFIG))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("00000000000000000000.log")
        .hasMessageContaining("CRC32C mismatch at byte " + position)
        .extracting(e -> ((FelixException) e).code())
        .isEqualTo(ErrorCode.STORAGE_ERROR);
    assertThat(Files.size(segment(0))).as("nothing truncated").isPositive();
  }

  @Test
  void lazyCheckOpensAndFailsTheFirstReadOfACorruptSealedSegment() throws IOException {
    List<Long> positions = write(40);
    flipByte(segment(0), positions.get(1) + BatchFormat.HEADER_BYTES + 20);
    DurableLogConfig lazy = CONFIG.withSealedSegmentCheck(SealedSegmentCheck.LAZY);
    try (DurableLog log = open(lazy)) {
      assertThat(log.endOffset()).isEqualTo(120);
      assertThat(labels(readAll(log, 110, 3))).hasSize(3);
      for (int attempt = 0; attempt < 2; attempt++) {
        assertThatThrownBy(() -> readAll(log, 0, 3))
            .isInstanceOf(StorageException.class)
            .hasMessageContaining("00000000000000000000.log")
            .hasMessageContaining("at byte " + positions.get(1));
      }
    }
  }

  @Test
  void lazyCheckReadsIntactSegmentsNormally() {
    write(40);
    try (DurableLog log = open(CONFIG.withSealedSegmentCheck(SealedSegmentCheck.LAZY))) {
      assertThat(log.recoveryReport().scannedBytes()).isLessThan(log.metrics().retainedBytes());
      assertThat(labels(readAll(log, 0, 120))).hasSize(120);
      assertThat(log.offsetForTimestamp(1_000_100)).isEqualTo(60);
    }
  }

  @Test
  void aMissingMiddleSegmentRefusesToOpen() throws IOException {
    write(40);
    List<Long> bases = LogInspector.segmentBases(dir);
    Files.delete(segment(bases.get(1)));
    assertThatThrownBy(() -> open(CONFIG))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("next segment starts at " + bases.get(2));
  }

  @Test
  void deletedIndexFilesAreRebuilt() throws IOException {
    write(40);
    List<Long> bases = LogInspector.segmentBases(dir);
    for (long base : bases) {
      Files.delete(SegmentNames.offsetIndexFile(dir, base));
    }
    Files.delete(SegmentNames.timeIndexFile(dir, bases.get(0)));
    try (DurableLog log = open(CONFIG)) {
      assertThat(log.recoveryReport().indexesRebuilt()).isEqualTo(bases.size());
      assertThat(labels(readAll(log, 50, 2))).containsExactly("b16-2", "b17-0");
      assertThat(log.offsetForTimestamp(1_000_100)).isEqualTo(60);
    }
    assertThat(LogInspector.verify(dir, 100).problems()).isEmpty();
    try (DurableLog log = open(CONFIG)) {
      assertThat(log.recoveryReport().clean()).isTrue();
    }
  }

  @Test
  void corruptOrInconsistentIndexFilesAreRebuilt() throws IOException {
    write(40);
    List<Long> bases = LogInspector.segmentBases(dir);
    Path garbage = SegmentNames.offsetIndexFile(dir, bases.get(0));
    Files.write(garbage, "garbage".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    // Well-formed but wrong: every position of the second segment's offset index moved by one.
    Path shifted = SegmentNames.offsetIndexFile(dir, bases.get(1));
    ByteBuffer content = ByteBuffer.wrap(Files.readAllBytes(shifted));
    for (int at = IndexFiles.HEADER_BYTES + 12; at < content.limit(); at += 8) {
      content.putInt(at, content.getInt(at) + 1);
    }
    Files.write(shifted, content.array());
    // A time index whose first entry no longer carries the earlier segments' maximum.
    Path times = SegmentNames.timeIndexFile(dir, bases.get(2));
    ByteBuffer timeContent = ByteBuffer.wrap(Files.readAllBytes(times));
    timeContent.putLong(IndexFiles.HEADER_BYTES, 0);
    Files.write(times, timeContent.array());

    try (DurableLog log = open(CONFIG)) {
      assertThat(log.recoveryReport().indexesRebuilt()).isEqualTo(3);
      assertThat(labels(readAll(log, 0, 120))).hasSize(120);
    }
    assertThat(LogInspector.verify(dir, 100).ok()).isTrue();
  }

  @Test
  void orphanIndexFilesAreDeleted() throws IOException {
    write(2);
    Path orphan = SegmentNames.offsetIndexFile(dir, 999);
    Files.write(orphan, new byte[16]);
    try (DurableLog log = open(CONFIG)) {
      assertThat(log.recoveryReport().orphanFilesDeleted()).isEqualTo(1);
    }
    assertThat(orphan).doesNotExist();
  }

  @Test
  void anEmptyActiveSegmentAfterARollIsFine() throws IOException {
    write(40);
    List<Long> bases = LogInspector.segmentBases(dir);
    long last = bases.get(bases.size() - 1);
    truncate(segment(last), 0);
    try (DurableLog log = open(CONFIG)) {
      assertThat(log.endOffset()).isEqualTo(last);
      assertThat(log.append(batch(record("z"))).baseOffset()).isEqualTo(last);
    }
  }

  static void truncate(Path file, long size) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(size);
    }
  }

  static void flipByte(Path file, long position) throws IOException {
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      channel.read(one, position);
      one.put(0, (byte) (one.get(0) ^ 0x5A)).rewind();
      channel.write(one, position);
    }
  }

  static void append(Path file, byte[] bytes) throws IOException {
    Files.write(file, bytes, StandardOpenOption.APPEND);
  }
}
