package dev.felix.broker.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ack journal's format and replay, and the position view it keeps current. */
class AckJournalTest {
  @TempDir Path dir;

  /** Records what a replay visits, as text. */
  private static final class Visits implements AckJournal.Visitor {
    final List<String> seen = new ArrayList<>();

    @Override
    public void define(int id, String key) {
      seen.add("define " + id + " " + key);
    }

    @Override
    public void done(int id, long offset) {
      seen.add("done " + id + " " + offset);
    }

    @Override
    public void init(int id, long committed) {
      seen.add("init " + id + " " + committed);
    }

    @Override
    public void skip(int id, long committed) {
      seen.add("skip " + id + " " + committed);
    }

    @Override
    public void next(int id, long next) {
      seen.add("next " + id + " " + next);
    }

    @Override
    public void remove(int id) {
      seen.add("remove " + id);
    }

    @Override
    public void state(int id, long committed, long next, long[] runs) {
      seen.add("state " + id + " " + committed + " " + next + " " + runs.length);
    }

    @Override
    public void counters(int id, long[] values) {
      seen.add("counters " + id + " " + values.length);
    }
  }

  private Path file() {
    return dir.resolve("acks.fxaj");
  }

  private void writeSample(long generation) {
    try (AckJournal journal = AckJournal.open(file(), generation, new Visits())) {
      journal.define(1, "t/n/s/g/0");
      journal.value(AckJournal.INIT, 1, 5);
      journal.value(AckJournal.DONE, 1, 5);
      journal.value(AckJournal.NEXT, 1, 9);
      journal.state(1, 6, 9, new long[] {7, 1});
      journal.counters(2, new long[] {1, 2, 3});
      journal.remove(2);
      journal.write();
    }
  }

  @Test
  void entriesReplayInOrder() {
    writeSample(3);
    Visits visits = new Visits();
    AckJournal.open(file(), 3, visits).close();
    assertThat(visits.seen)
        .containsExactly(
            "define 1 t/n/s/g/0",
            "init 1 5",
            "done 1 5",
            "next 1 9",
            "state 1 6 9 2",
            "counters 2 3",
            "remove 2");
  }

  @Test
  void aJournalOfAnOlderSnapshotGenerationIsIgnoredAndEmptied() throws IOException {
    writeSample(3);
    Visits visits = new Visits();
    AckJournal.open(file(), 4, visits).close();
    assertThat(visits.seen).isEmpty();
    assertThat(Files.size(file())).isEqualTo(AckJournal.HEADER_BYTES);
  }

  @Test
  void aTornOrDamagedTailEndsTheReplayAndIsCutOff() throws IOException {
    writeSample(1);
    long whole = Files.size(file());
    try (FileChannel channel = FileChannel.open(file(), StandardOpenOption.WRITE)) {
      channel.truncate(whole - 3); // the remove entry lost its last bytes
    }
    Visits visits = new Visits();
    AckJournal.open(file(), 1, visits).close();
    assertThat(visits.seen).hasSize(6).doesNotContain("remove 2");

    // A flipped bit in the first entry's body: nothing after it is trusted.
    byte[] bytes = Files.readAllBytes(file());
    bytes[AckJournal.HEADER_BYTES + 10] ^= 0x40;
    Files.write(file(), bytes);
    Visits damaged = new Visits();
    AckJournal.open(file(), 1, damaged).close();
    assertThat(damaged.seen).isEmpty();
    assertThat(Files.size(file())).isEqualTo(AckJournal.HEADER_BYTES);
  }

  @Test
  void garbageInsteadOfAHeaderStartsAnEmptyJournal() throws IOException {
    Files.write(file(), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15});
    Visits visits = new Visits();
    AckJournal.open(file(), 0, visits).close();
    assertThat(visits.seen).isEmpty();
    assertThat(Files.size(file())).isEqualTo(AckJournal.HEADER_BYTES);
  }

  @Test
  void theViewAdvancesPastDoneOffsetsAndKeepsRunsAboveTheGap() {
    PositionView view = new PositionView();
    view.init("k", 10);
    for (long offset : new long[] {11, 12, 14, 10}) {
      view.done("k", offset);
    }
    view.next("k", 20);
    PositionView.Restored restored = view.restored("k");
    assertThat(restored.committed()).isEqualTo(13);
    assertThat(restored.next()).isEqualTo(20);
    assertThat(restored.runs()).containsExactly(new long[] {14, 1});

    PositionView again = PositionView.of(view.toSnapshot());
    PositionView.Restored reread = again.restored("k");
    assertThat(reread.committed()).isEqualTo(13);
    assertThat(reread.next()).isEqualTo(20);
    assertThat(reread.runs()).containsExactly(new long[] {14, 1});
  }

  @Test
  void theViewRebasesOverLongRunsAndSkipsForward() {
    PositionView view = new PositionView();
    view.init("k", 0);
    for (long offset = 0; offset < 100_000; offset++) {
      view.done("k", offset);
    }
    assertThat(view.restored("k").committed()).isEqualTo(100_000);
    view.done("k", 100_002);
    view.skip("k", 100_002);
    assertThat(view.restored("k").committed())
        .as("past the done offset at the skip")
        .isEqualTo(100_003);
    view.skip("k", 1L << 40);
    assertThat(view.restored("k").committed()).isEqualTo(1L << 40);
    view.done("k", (1L << 40) + (1L << 30));
    assertThat(view.restored("k").runs()).as("beyond any window: ignored").isEmpty();
    view.remove("k");
    assertThat(view.restored("k")).isNull();
    assertThat(view.toSnapshot()).isEqualTo(Map.of(PositionView.GENERATION, 0L));
  }
}
