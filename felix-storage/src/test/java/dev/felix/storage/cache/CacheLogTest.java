package dev.felix.storage.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.felix.storage.durable.DurableLogConfig;
import dev.felix.storage.durable.FlushScheduler;
import dev.felix.storage.durable.FsyncPolicy;
import dev.felix.storage.time.ManualClock;
import dev.felix.wire.Bytes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache log on real files: replay, TTL across restarts, compaction and its crash points. */
class CacheLogTest {
  @TempDir Path dir;
  private final ManualClock clock = new ManualClock(1_000_000);
  private final FlushScheduler flusher = new FlushScheduler("test-flusher", clock);
  private final CacheLogConfig config =
      new CacheLogConfig(DurableLogConfig.DEFAULTS.withFsyncPolicy(FsyncPolicy.ALWAYS), 0, 2);

  @AfterEach
  void stop() {
    flusher.close();
  }

  @Test
  void replayKeepsTheLastChangeOfEachKeyAndTheHighestVersion() {
    try (CacheLog log = open()) {
      log.append(List.of(put("a", "1", 1), put("b", "1", 2)));
      log.append(List.of(put("a", "2", 3), CacheLogRecord.remove(key("b"), 2)));
      log.append(List.of(put("c", "1", 4), CacheLogRecord.remove(key("c"), 4)));
    }
    try (CacheLog log = open()) {
      assertThat(contents(log)).containsExactly(Map.entry("a", "2"));
      assertThat(log.maxVersion()).isEqualTo(4);
      assertThat(log.metrics().replayedRecords()).isEqualTo(6);
      assertThat(log.metrics().restoredEntries()).isEqualTo(1);
    }
  }

  @Test
  void anEntryWhoseDeadlinePassedWhileClosedIsNotRestored() {
    long now = clock.epochMillis();
    try (CacheLog log = open()) {
      log.append(
          List.of(
              CacheLogRecord.put(key("short"), Bytes.utf8("x"), 1, now + 1_000),
              CacheLogRecord.put(key("long"), Bytes.utf8("y"), 2, now + 60_000),
              CacheLogRecord.put(key("never"), Bytes.utf8("z"), 3, 0)));
    }
    clock.advanceMillis(5_000);
    try (CacheLog log = open()) {
      assertThat(contents(log)).containsOnlyKeys("long", "never");
      assertThat(log.maxVersion()).isEqualTo(3);
    }
  }

  @Test
  void aStoreRestoredFromTheLogKeepsRemainingTtlAndContinuesVersions() {
    long now = clock.epochMillis();
    try (CacheLog log = open()) {
      log.append(List.of(CacheLogRecord.put(key("k"), Bytes.utf8("v"), 41, now + 10_000)));
      log.append(List.of(put("gone", "v", 42), CacheLogRecord.remove(key("gone"), 42)));
    }
    clock.advanceMillis(4_000);
    try (CacheLog log = open()) {
      CacheStore store = new CacheStore(CacheStoreConfig.defaults(), clock);
      for (CacheLogRecord entry : log.liveEntries()) {
        store.restore(entry);
      }
      store.continueVersionsAbove(log.maxVersion());
      assertThat(store.get(key("k")).ttlRemainingMs()).isEqualTo(6_000);
      assertThat(store.get(key("k")).version()).isEqualTo(41);
      assertThat(store.put(key("n"), Bytes.utf8("v"), 0).version()).isEqualTo(43);
    }
  }

  @Test
  void compactionRewritesOnlyLiveEntriesAndDropsTheOldGeneration() throws IOException {
    try (CacheLog log = open()) {
      for (int round = 0; round < 20; round++) {
        for (int k = 0; k < 10; k++) {
          log.append(List.of(put("k" + k, "value-" + round, round * 10L + k + 1)));
        }
      }
      long before = log.metrics().logBytes();
      assertThat(log.compactionDue()).isTrue();
      assertThat(log.compactIfDue()).isTrue();
      assertThat(log.generation()).isEqualTo(2);
      assertThat(log.metrics().logBytes()).isLessThan(before / 10);
      assertThat(log.metrics().compactions()).isEqualTo(1);
      assertThat(log.compactionDue()).isFalse();
      log.append(List.of(put("k0", "after", 201)));
    }
    assertThat(generations()).containsExactly("gen-0000000000000002");
    try (CacheLog log = open()) {
      Map<String, String> contents = contents(log);
      assertThat(contents).hasSize(10).containsEntry("k0", "after").containsEntry("k9", "value-19");
      assertThat(log.maxVersion()).isEqualTo(201);
    }
  }

  @Test
  void compactionDropsExpiredEntries() {
    long now = clock.epochMillis();
    try (CacheLog log = open()) {
      log.append(List.of(CacheLogRecord.put(key("old"), Bytes.utf8("x"), 1, now + 100)));
      log.append(List.of(put("kept", "y", 2)));
      clock.advanceMillis(1_000);
      log.compact(() -> {});
      assertThat(contents(log)).containsOnlyKeys("kept");
    }
    try (CacheLog log = open()) {
      assertThat(log.metrics().replayedRecords()).isEqualTo(1);
    }
  }

  @Test
  void aCrashBeforeTheRenameLeavesTheOldGeneration() throws IOException {
    try (CacheLog log = open()) {
      log.append(List.of(put("a", "1", 1), put("a", "2", 2), put("b", "1", 3)));
      assertThatThrownBy(
              () ->
                  log.compact(
                      () -> {
                        throw new IllegalStateException("crash");
                      }))
          .hasMessage("crash");
    }
    assertThat(generations()).contains("gen-0000000000000002.compacting");
    try (CacheLog log = open()) {
      assertThat(log.generation()).isEqualTo(1);
      assertThat(contents(log)).containsExactly(Map.entry("a", "2"), Map.entry("b", "1"));
    }
    assertThat(generations()).containsExactly("gen-0000000000000001");
  }

  @Test
  void aCrashAfterTheRenameRecoversToTheNewGeneration() throws IOException {
    Path saved = dir.resolveSibling(dir.getFileName() + "-saved");
    try (CacheLog log = open()) {
      log.append(List.of(put("a", "1", 1), put("a", "2", 2)));
    }
    copyTree(dir.resolve("gen-0000000000000001"), saved);
    try (CacheLog log = open()) {
      log.compact(() -> {});
      log.append(List.of(put("b", "1", 3)));
    }
    // The old generation still there, as if the broker died between the rename and the delete.
    copyTree(saved, dir.resolve("gen-0000000000000001"));
    try (CacheLog log = open()) {
      assertThat(log.generation()).isEqualTo(2);
      assertThat(contents(log)).containsExactly(Map.entry("a", "2"), Map.entry("b", "1"));
    }
    assertThat(generations()).containsExactly("gen-0000000000000002");
  }

  @Test
  void deleteRemovesEveryFile() {
    CacheLog log = open();
    log.append(List.of(put("a", "1", 1)));
    assertThat(log.delete()).isPositive();
    assertThat(Files.exists(dir)).isFalse();
  }

  @Test
  void aLogOfForeignRecordsRefusesToOpen() {
    try (CacheLog log = open()) {
      log.append(List.of(put("a", "1", 1)));
    }
    try (var foreign =
        dev.felix.storage.durable.DurableLog.open(
            dir.resolve("gen-0000000000000001"), DurableLogConfig.DEFAULTS, clock, flusher)) {
      foreign.append(
          dev.felix.wire.message.RecordBatch.of(
              List.of(
                  new dev.felix.wire.message.RecordData(
                      key("x"), List.of(), 0, Bytes.utf8("not a cache change")))));
    }
    assertThatThrownBy(this::open)
        .isInstanceOf(dev.felix.error.StorageException.class)
        .hasMessageContaining("invalid record");
  }

  private CacheLog open() {
    return CacheLog.open(dir, config, clock, flusher);
  }

  private static Bytes key(String key) {
    return Bytes.utf8(key);
  }

  private static CacheLogRecord put(String key, String value, long version) {
    return CacheLogRecord.put(key(key), Bytes.utf8(value), version, 0);
  }

  private static Map<String, String> contents(CacheLog log) {
    Map<String, String> contents = new TreeMap<>();
    for (CacheLogRecord entry : log.liveEntries()) {
      contents.put(entry.key().toUtf8(), entry.value().toUtf8());
    }
    return contents;
  }

  private List<String> generations() throws IOException {
    try (Stream<Path> children = Files.list(dir)) {
      return children.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path file : files.toList()) {
        if (!file.getFileName().toString().endsWith(".lock")) {
          Files.copy(file, to.resolve(file.getFileName()));
        }
      }
    }
  }
}
