package dev.felix.storage.log;

import static dev.felix.storage.log.LogTestRecords.batch;
import static dev.felix.storage.log.LogTestRecords.labels;
import static dev.felix.storage.log.LogTestRecords.readAll;
import static dev.felix.storage.log.LogTestRecords.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.storage.time.ManualClock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkSizingTest {
  private static final int MIB = 1 << 20;
  private static final int HEADER = ChunkSizing.ARRAY_HEADER_BYTES;
  private static final long DEFAULT_BOUND = MemoryLogConfig.DEFAULT_MAX_BYTES;

  @Test
  void withoutG1TheConfiguredSizesStand() {
    ChunkSizing other = new ChunkSizing(0);
    assertThat(other.standardBytes(MIB, DEFAULT_BOUND)).isEqualTo(MIB);
    assertThat(other.standardBytes(64, DEFAULT_BOUND)).isEqualTo(64);
    assertThat(other.nextGrowingBytes(4096, MIB)).isEqualTo(8192);
    assertThat(other.nextGrowingBytes(MIB / 2, MIB)).isEqualTo(MIB);
  }

  @Test
  void underG1FullSizeChunksFillWholeRegions() {
    ChunkSizing fourMiBRegions = new ChunkSizing(4 * MIB);
    assertThat(fourMiBRegions.standardBytes(MIB, DEFAULT_BOUND)).isEqualTo(4 * MIB - HEADER);
    assertThat(fourMiBRegions.standardBytes(MIB / 2, DEFAULT_BOUND)).isEqualTo(4 * MIB - HEADER);
    assertThat(fourMiBRegions.standardBytes(4 * MIB, DEFAULT_BOUND)).isEqualTo(4 * MIB - HEADER);
    assertThat(fourMiBRegions.standardBytes(5 * MIB, DEFAULT_BOUND)).isEqualTo(8 * MIB - HEADER);
    // Below an eighth of a region a configured size stands (small logs, tests).
    assertThat(fourMiBRegions.standardBytes(MIB / 4, DEFAULT_BOUND)).isEqualTo(MIB / 4);

    // A log bounded below eight fitted chunks keeps its configured (or bound-capped) size.
    assertThat(fourMiBRegions.standardBytes(MIB, 16L * MIB)).isEqualTo(MIB);
    assertThat(fourMiBRegions.standardBytes(MIB, 32L * MIB)).isEqualTo(4 * MIB - HEADER);
    assertThat(fourMiBRegions.standardBytes(MIB, MIB / 2)).isEqualTo(MIB / 2);

    ChunkSizing oneMiBRegions = new ChunkSizing(MIB);
    assertThat(oneMiBRegions.standardBytes(MIB, DEFAULT_BOUND)).isEqualTo(MIB - HEADER);
  }

  @Test
  void growingChunksJumpToTheStandardSizeBeforeTheyWouldWasteHalfARegion() {
    ChunkSizing sizing = new ChunkSizing(4 * MIB);
    int standard = sizing.standardBytes(MIB, DEFAULT_BOUND);
    List<Integer> steps = new ArrayList<>();
    for (int size = MemoryLog.FIRST_CHUNK_BYTES; size < standard; ) {
      size = sizing.nextGrowingBytes(size, standard);
      steps.add(size);
    }
    // 8 KiB ... 1 MiB young; 2 MiB would be humongous in a 4 MiB region: straight to the standard.
    assertThat(steps).endsWith(MIB, standard);
    assertThat(steps).allMatch(step -> step == standard || step + HEADER < 2 * MIB);
  }

  @Test
  void aLogUnderG1StoresAndReadsAcrossRegionSizedChunks() {
    MemoryLog log =
        new MemoryLog(
            new MemoryLogConfig(64L * MIB, 1_000_000, MIB / 4),
            new ManualClock(),
            MemoryBudget.unbounded(),
            new ChunkSizing(MIB));
    int records = 30_000; // about 3.5 MiB: growing chunks, then several full ones
    for (int i = 0; i < records; i++) {
      log.append(batch(record("r" + i, 100, 0)));
    }

    long growing = 0;
    for (int size = MemoryLog.FIRST_CHUNK_BYTES; size < MIB / 4; size *= 2) {
      growing += size;
    }
    growing += MIB / 4;
    long full = log.chunkCapacityBytes() - growing;
    assertThat(full % (MIB - HEADER)).as("the rest are whole one-region chunks").isZero();
    assertThat(full / (MIB - HEADER)).isBetween(3L, 4L);
    assertThat(labels(readAll(log, 0, 1))).containsExactly("r0");
    assertThat(labels(readAll(log, records - 1, 1))).containsExactly("r" + (records - 1));
    List<String> all = new ArrayList<>();
    while (all.size() < records) {
      all.addAll(labels(readAll(log, all.size(), records))); // 1 MiB per read
    }
    assertThat(all.get(12_345)).isEqualTo("r12345");
    assertThat(all).hasSize(records).doesNotHaveDuplicates();
  }
}
